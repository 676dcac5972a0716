package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	sqlfiles "github.com/salesout/salesout/sql"
)

// Execer runs a statement: *sql.Tx, *sql.Conn and *sql.DB are Execers, and so is the
// raw connection of a file's load.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Vars are the values of a script's declared variables, by name.
type Vars map[string]any

// Typed gives a variable's SQL type, for a value whose type DuckDB cannot infer (a NULL,
// or a date given as text): Vars{"period_start": Typed{nil, "DATE"}}.
type Typed struct {
	Value any
	Type  string // a DuckDB type name, a constant of the caller
}

// Script is one step file of sql/ with the variables its header declares.
type Script struct {
	Name     string   // path under sql/, e.g. "score/partner_scores.sql"
	Text     string   // the statements
	Declared []string // sorted
}

var (
	scriptsMu sync.Mutex
	scripts   = map[string]*Script{}
)

// LoadScript returns an embedded step file and its declared variables. It panics on a
// missing file, a header that does not declare exactly the variables the file reads, or
// a statement file (positional parameters: see Statement): all are programming errors
// that any test running the step catches.
func LoadScript(name string) *Script {
	scriptsMu.Lock()
	defer scriptsMu.Unlock()
	if s, ok := scripts[name]; ok {
		return s
	}
	text := sqlfiles.Read(name)
	s := &Script{Name: name, Text: text, Declared: DeclaredVariables(text)}
	if used := UsedVariables(text); !slices.Equal(used, s.Declared) {
		panic(fmt.Sprintf("sql/%s: its header declares variables %v but the file reads %v", name, s.Declared, used))
	}
	if _, isStatement, _ := DeclaredParameters(text); isStatement || Placeholders(text) > 0 {
		panic(fmt.Sprintf("sql/%s takes positional parameters: run it with warehouse.Statement", name))
	}
	scripts[name] = s
	return s
}

// RunScript runs a step file of sql/ with its declared variables: it checks that vars
// holds exactly those, sets them, runs the file and resets them, so that no file can
// read another's leftovers. It returns the rows changed by the file's last statement.
func RunScript(ctx context.Context, db Execer, name string, vars Vars) (int64, error) {
	return LoadScript(name).Run(ctx, db, vars)
}

// Run is RunScript for a loaded script.
func (s *Script) Run(ctx context.Context, db Execer, vars Vars) (n int64, err error) {
	given := slices.Sorted(maps.Keys(vars))
	if !slices.Equal(given, s.Declared) {
		return 0, fmt.Errorf("sql/%s declares variables %v; the caller gave %v", s.Name, s.Declared, given)
	}
	defer func() {
		// Reset even when ctx was cancelled: the session outlives this call.
		rctx := context.WithoutCancel(ctx)
		for _, v := range s.Declared {
			if _, rerr := db.ExecContext(rctx, "RESET VARIABLE "+QuoteIdent(v)); rerr != nil && err == nil {
				err = fmt.Errorf("sql/%s: reset %s: %w", s.Name, v, rerr)
			}
		}
	}()
	for _, name := range s.Declared {
		val, cast := vars[name], ""
		if t, ok := val.(Typed); ok {
			val, cast = t.Value, "::"+t.Type
		}
		if _, err := db.ExecContext(ctx, "SET VARIABLE "+QuoteIdent(name)+" = ?"+cast, val); err != nil {
			return 0, fmt.Errorf("sql/%s: set %s: %w", s.Name, name, err)
		}
	}
	res, err := db.ExecContext(ctx, s.Text)
	if err != nil {
		return 0, fmt.Errorf("sql/%s: %w", s.Name, err)
	}
	return res.RowsAffected()
}

var (
	getVariable = regexp.MustCompile(`getvariable\('([a-z_][a-z0-9_]*)'\)`)
	parenthesis = regexp.MustCompile(`\([^()]*\)`)
	section     = regexp.MustCompile(`^[A-Z][A-Za-z /]*:`)
	identifier  = regexp.MustCompile(`^[a-z_][a-z0-9_]*`)
)

// UsedVariables lists, sorted and once each, the variables a SQL text reads with
// getvariable('name').
func UsedVariables(text string) []string {
	set := map[string]bool{}
	for _, m := range getVariable.FindAllStringSubmatch(text, -1) {
		set[m[1]] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// DeclaredVariables lists, sorted, the variables a file's header comment declares: the
// names after "Variables:" (or "Variables (note):"), comma-separated, possibly over
// several comment lines until an empty comment line or the next "Section:"; text in
// parentheses is a note.
func DeclaredVariables(text string) []string {
	decl, _ := headerSection(text, "Variables")
	set := map[string]bool{}
	for _, part := range strings.Split(decl, ",") {
		if id := identifier.FindString(strings.TrimSpace(part)); id != "" {
			set[id] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// headerSection returns what a file's header comment says under key ("Variables",
// "Parameters"): the text after "Key:" (or "Key (note):") on its line and on the comment
// lines that follow, until an empty comment line, the next "Section:" or a "*" item,
// without the notes in parentheses. found says whether the header has the section.
func headerSection(text, key string) (decl string, found bool) {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "--") {
			break // the header is the leading comment block
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		if i := strings.Index(body, key); i >= 0 && !found {
			rest := body[i+len(key):]
			if j := strings.Index(rest, ":"); j >= 0 {
				found = true
				b.WriteString(rest[j+1:] + " ")
				continue
			}
		}
		if found {
			if body == "" || section.MatchString(body) || strings.HasPrefix(body, "*") {
				break
			}
			b.WriteString(body + " ")
		}
	}
	decl = b.String()
	for parenthesis.MatchString(decl) {
		decl = parenthesis.ReplaceAllString(decl, "")
	}
	return decl, found
}
