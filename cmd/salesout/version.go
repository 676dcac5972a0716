package main

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// commit may be set at build time when the VCS stamp is missing (a build outside the
// repository): go build -ldflags "-X main.commit=$(git rev-parse HEAD)".
var commit string

// buildVersion is the module version, the commit (and whether the tree was modified)
// and the commit time, from the build information Go stamps into the binary.
func buildVersion() (version, rev string) {
	version, rev = "(devel)", commit
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version, rev
	}
	if info.Main.Version != "" {
		version = info.Main.Version
	}
	var when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if rev == "" {
				rev = s.Value
			}
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		rev = "unknown"
	}
	if modified {
		rev += " (modified)"
	}
	if when != "" {
		rev += " " + when
	}
	return version, rev
}

// duckdbVersion asks an in-memory DuckDB for its version.
func duckdbVersion() string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer db.Close()
	var v, id string
	if err := db.QueryRowContext(ctx, `SELECT library_version, source_id FROM pragma_version()`).Scan(&v, &id); err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return v + " (" + id + ")"
}

// versionInfo is what --version and the version command print.
func versionInfo() string {
	version, rev := buildVersion()
	var b strings.Builder
	fmt.Fprintf(&b, "salesout %s\n", version)
	fmt.Fprintf(&b, "  commit  %s\n", rev)
	fmt.Fprintf(&b, "  duckdb  %s\n", duckdbVersion())
	fmt.Fprintf(&b, "  go      %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return b.String()
}

func init() { cobra.AddTemplateFunc("versionInfo", versionInfo) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, the commit and the DuckDB version (same as --version)",
		Example: `  salesout version`,
		GroupID: "setup",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprint(cmd.OutOrStdout(), versionInfo())
			return nil
		},
	}
}
