package warehouse

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	sqlfiles "github.com/salesout/salesout/sql"
)

var (
	statementsMu sync.Mutex
	statements   = map[string]string{}
	parameter    = regexp.MustCompile(`^([0-9]+) +([a-z_][a-z0-9_]*)$`)
)

// Statement returns the text of an embedded statement file of sql/
// ("notify/open_deviations.sql"): one statement whose values are bound positional
// parameters (?), given in the order its header declares them
// (`-- Parameters: 1 feed, 2 sha256`, or `-- Parameters: none`):
//
//	conn.QueryContext(ctx, warehouse.Statement("notify/open_deviations.sql"), day)
//
// It panics on a missing file, a header that does not declare as many parameters as the
// statement has placeholders, or a file that reads DuckDB variables (a step file: see
// RunScript): all are programming errors that any test running the statement catches.
func Statement(name string) string {
	statementsMu.Lock()
	defer statementsMu.Unlock()
	if text, ok := statements[name]; ok {
		return text
	}
	text := sqlfiles.Read(name)
	if err := checkStatement(text); err != nil {
		panic(fmt.Sprintf("sql/%s: %v", name, err))
	}
	statements[name] = text
	return text
}

// checkStatement says what is wrong with a statement file: a header without a valid
// Parameters section, a count of parameters other than the placeholders', or variables.
func checkStatement(text string) error {
	params, declared, err := DeclaredParameters(text)
	switch {
	case err != nil:
		return err
	case !declared:
		return fmt.Errorf("the header declares no parameters (-- Parameters: 1 name, … or none)")
	case len(UsedVariables(text)) > 0 || len(DeclaredVariables(text)) > 0:
		return fmt.Errorf("a statement takes positional parameters, never variables (getvariable)")
	}
	if n := Placeholders(text); n != len(params) {
		return fmt.Errorf("the header declares %d parameter(s) %v but the statement has %d placeholder(s) (?)", len(params), params, n)
	}
	return nil
}

// DeclaredParameters lists, in order, the positional parameters a statement file's header
// declares after "Parameters:": "N name" items, comma-separated and numbered from 1 in
// the order of the statement's placeholders (a value used twice is declared twice),
// possibly over several comment lines until an empty comment line or the next
// "Section:"; text in parentheses is a note; a final "." is allowed. "Parameters: none"
// declares none. declared is false when the header has no Parameters section; an item
// that is not "N name" with N its position is an error.
func DeclaredParameters(text string) (names []string, declared bool, err error) {
	decl, found := headerSection(text, "Parameters")
	if !found {
		return nil, false, nil
	}
	decl = strings.TrimSuffix(strings.TrimSpace(decl), ".")
	if strings.TrimSpace(decl) == "none" {
		return nil, true, nil
	}
	for _, item := range strings.Split(decl, ",") {
		item = strings.Join(strings.Fields(item), " ")
		if item == "" {
			continue
		}
		m := parameter.FindStringSubmatch(item)
		if m == nil {
			return nil, true, fmt.Errorf("parameter %q: want \"N name\" (a note in parentheses)", item)
		}
		if n, _ := strconv.Atoi(m[1]); n != len(names)+1 {
			return nil, true, fmt.Errorf("parameter %q: want number %d", item, len(names)+1)
		}
		names = append(names, m[2])
	}
	if len(names) == 0 {
		return nil, true, fmt.Errorf("the Parameters section lists nothing (write \"none\")")
	}
	return names, true, nil
}

// Placeholders counts the positional parameters (?) of a SQL text, outside comments,
// string literals and quoted identifiers.
func Placeholders(text string) int {
	n := 0
	for i := 0; i < len(text); i++ {
		var end string // what closes the comment, literal or identifier that starts at i
		switch {
		case text[i] == '?':
			n++
		case text[i] == '\'' || text[i] == '"':
			end = text[i : i+1]
		case strings.HasPrefix(text[i:], "--"):
			end = "\n"
		case strings.HasPrefix(text[i:], "/*"):
			end = "*/"
			i++
		}
		if end != "" {
			j := strings.Index(text[i+1:], end)
			if j < 0 {
				return n // unterminated: the rest is comment or literal
			}
			i += j + len(end)
		}
	}
	return n
}
