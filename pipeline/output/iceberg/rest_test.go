package iceberg

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	sqlcat "github.com/apache/iceberg-go/catalog/sql"
	"github.com/apache/iceberg-go/table"

	"github.com/salesout/salesout/connectors/connectortest"
)

// restCatalog is a small Iceberg REST catalog server (the endpoints salesout uses:
// config, namespaces, load, create and commit table) in front of a SQL catalog on
// PostgreSQL, which does the real work: commits are checked against their
// requirements and swapped atomically there.
//
// While refuse is above 0, each table commit is refused (409, as for a concurrent
// commit) and refuse decremented.
func restCatalog(t *testing.T, warehouse string, refuse *atomic.Int32) string {
	t.Helper()
	db, err := sql.Open("pgx", connectortest.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	props := iceberg.Properties{"warehouse": "file://" + warehouse}
	cat, err := sqlcat.NewCatalog("rest", db, sqlcat.Postgres, props)
	if err != nil {
		t.Fatal(err)
	}
	fail := func(w http.ResponseWriter, code int, typ string, err error) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": err.Error(), "type": typ, "code": code}})
	}
	reply := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(v)
	}
	tableResult := func(w http.ResponseWriter, tbl *table.Table) {
		reply(w, map[string]any{"metadata-location": tbl.MetadataLocation(), "metadata": tbl.Metadata(), "config": map[string]string{}})
	}
	loadErr := func(w http.ResponseWriter, err error) {
		switch {
		case errors.Is(err, catalog.ErrNoSuchTable):
			fail(w, http.StatusNotFound, "NoSuchTableException", err)
		case errors.Is(err, catalog.ErrNoSuchNamespace):
			fail(w, http.StatusNotFound, "NoSuchNamespaceException", err)
		case errors.Is(err, table.ErrCommitFailed):
			fail(w, http.StatusConflict, "CommitFailedException", err)
		default:
			fail(w, http.StatusInternalServerError, "ServerError", err)
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/config", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]any{"defaults": map[string]string{}, "overrides": map[string]string{}})
	})
	nsExists := func(w http.ResponseWriter, r *http.Request) bool {
		ok, err := cat.CheckNamespaceExists(r.Context(), table.Identifier{r.PathValue("ns")})
		if err != nil || !ok {
			fail(w, http.StatusNotFound, "NoSuchNamespaceException", errors.New("no such namespace"))
			return false
		}
		return true
	}
	mux.HandleFunc("HEAD /v1/namespaces/{ns}", func(w http.ResponseWriter, r *http.Request) {
		if nsExists(w, r) {
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("GET /v1/namespaces/{ns}", func(w http.ResponseWriter, r *http.Request) {
		if nsExists(w, r) {
			reply(w, map[string]any{"namespace": []string{r.PathValue("ns")}, "properties": map[string]string{}})
		}
	})
	mux.HandleFunc("POST /v1/namespaces", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Namespace  []string          `json:"namespace"`
			Properties map[string]string `json:"properties"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, "BadRequestException", err)
			return
		}
		if err := cat.CreateNamespace(r.Context(), req.Namespace, req.Properties); err != nil {
			fail(w, http.StatusConflict, "AlreadyExistsException", err)
			return
		}
		reply(w, req)
	})
	mux.HandleFunc("GET /v1/namespaces/{ns}/tables/{tbl}", func(w http.ResponseWriter, r *http.Request) {
		tbl, err := cat.LoadTable(r.Context(), table.Identifier{r.PathValue("ns"), r.PathValue("tbl")})
		if err != nil {
			loadErr(w, err)
			return
		}
		tableResult(w, tbl)
	})
	mux.HandleFunc("POST /v1/namespaces/{ns}/tables", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Name          string                 `json:"name"`
			Schema        *iceberg.Schema        `json:"schema"`
			PartitionSpec *iceberg.PartitionSpec `json:"partition-spec"`
			Properties    iceberg.Properties     `json:"properties"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, "BadRequestException", err)
			return
		}
		opts := []catalog.CreateTableOpt{catalog.WithProperties(req.Properties)}
		if req.PartitionSpec != nil {
			opts = append(opts, catalog.WithPartitionSpec(req.PartitionSpec))
		}
		tbl, err := cat.CreateTable(r.Context(), table.Identifier{r.PathValue("ns"), req.Name}, req.Schema, opts...)
		if err != nil {
			loadErr(w, err)
			return
		}
		tableResult(w, tbl)
	})
	mux.HandleFunc("POST /v1/namespaces/{ns}/tables/{tbl}", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Requirements table.Requirements `json:"requirements"`
			Updates      table.Updates      `json:"updates"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			fail(w, http.StatusBadRequest, "BadRequestException", err)
			return
		}
		if refuse.Add(-1) >= 0 {
			fail(w, http.StatusConflict, "CommitFailedException", errors.New("refused by the test"))
			return
		}
		meta, loc, err := cat.CommitTable(r.Context(), table.Identifier{r.PathValue("ns"), r.PathValue("tbl")}, req.Requirements, req.Updates)
		if err != nil {
			loadErr(w, err)
			return
		}
		reply(w, map[string]any{"metadata-location": loc, "metadata": meta})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// The same runs through a REST catalog: appends, a restatement, time travel.
func TestRESTCatalog(t *testing.T) {
	e := newEnv(t, "folder")
	var refuse atomic.Int32
	e.out.RESTURI, e.out.SQLDSN = restCatalog(t, e.out.Warehouse, &refuse), ""
	e.out.Tables = []string{"sales_out", "partner_scores"}
	e.addLines(1, "ACME", 1, 30)
	e.write()
	e.same("run 1", e.icebergStats(0), e.duckStats())
	e.addLines(2, "BETA", 2, 20)
	refuse.Store(1) // the first commit of run 2 loses a race: written again, its files removed
	e.write()
	if n := refuse.Load(); n != -1 {
		t.Errorf("refuse = %d: the refused commit was not retried once", n)
	}
	run2 := e.duckStats()
	snaps := e.snapshots("sales_out")
	e.exec(`UPDATE lines SET superseded_by = 3 WHERE file_id = 1`)
	e.addLines(3, "ACME", 1, 12)
	e.write()
	e.same("run 3", e.icebergStats(0), e.duckStats())
	e.same("run 2's snapshot", e.icebergStats(snaps[len(snaps)-1].SnapshotID), run2)
	if n := len(e.snapshots("sales_out")); n != 3 {
		t.Errorf("%d snapshots, want 3", n)
	}
	// Every data file in the warehouse belongs to a snapshot: the refused commit's are gone.
	referenced := map[string]bool{}
	for _, s := range e.snapshots("sales_out") {
		tasks, err := e.load("sales_out").Scan(table.WithSnapshotID(s.SnapshotID)).PlanFiles(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			referenced[strings.TrimPrefix(task.File.FilePath(), "file://")] = true
		}
	}
	files, _ := filepath.Glob(filepath.Join(e.out.Warehouse, "*", "sales_out", "data", "*", "*", "*.parquet"))
	if len(files) == 0 {
		t.Fatal("no data files found: the test's pattern is wrong")
	}
	for _, f := range files {
		if !referenced[f] {
			t.Errorf("%s belongs to no snapshot", f)
		}
	}
}
