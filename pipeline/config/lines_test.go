package config

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneListWithLines: unknown keys, wrong types and value errors come in one list,
// ordered by line, each with its YAML line and key path.
func TestOneListWithLines(t *testing.T) {
	text := validYAML
	for _, e := range []struct{ old, new string }{
		{`base_currency: EUR`, `base_currency: euro`},                          // value error
		{`  memory_limit: 2GB`, "  memory_limit: 2GB\n  threads: many"},        // wrong type
		{`decimal: ","`, `decimal: ","` + "\n      delimter: \";\""},           // unknown key
		{`encoding: windows-1252`, `encoding: utf8x`},                          // value error after it
		{`default_to: [director@example.com]`, `default_to: [not-an-address]`}, // value error in a list
	} {
		text = repl(e.old, e.new)(text)
	}
	_, err := Parse([]byte(text), filepath.Join(t.TempDir(), "c.yaml"), env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %T: %v", err, err)
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	lineOfText := func(s string) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				return i + 2 // validYAML starts with a newline
			}
		}
		t.Fatalf("%q not in the config", s)
		return 0
	}
	want := []struct {
		path, msg string
		line      int
	}{
		{"base_currency", `"euro" is not an ISO 4217 code`, lineOfText("base_currency: euro")},
		{"warehouse.threads", "wrong type", lineOfText("threads: many")},
		{"feeds[0].csv.encoding", `unknown encoding "utf8x"`, lineOfText("encoding: utf8x")},
		{"feeds[0].csv.delimter", "unknown key", lineOfText("delimter:")},
		{"alerts.default_to[0]", "is not an e-mail address", lineOfText("not-an-address")},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		var ke *KeyError
		if !errors.As(errs[i], &ke) || ke.Path != w.path || !strings.Contains(ke.Msg, w.msg) || ke.Line != w.line {
			t.Errorf("problem %d = %v (%#v), want line %d: %s: ...%s", i, errs[i], ke, w.line, w.path, w.msg)
		}
		if !strings.HasPrefix(errs[i].Error(), "line ") {
			t.Errorf("problem %d does not start with its line: %v", i, errs[i])
		}
	}
}

// TestMissingKeyOnParentLine: a required key that is absent is placed on its parent.
func TestMissingKeyOnParentLine(t *testing.T) {
	text := repl("  publish: var/analytics.duckdb\n", "")(validYAML)
	_, err := Parse([]byte(text), filepath.Join(t.TempDir(), "c.yaml"), env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
	if err == nil || !strings.Contains(err.Error(), "line 4: warehouse.publish: required") {
		t.Errorf("got %v, want line 4: warehouse.publish: required", err)
	}
}

// TestUnsetVariableNotAlsoRequired: an unset ${VAR} is one problem, not two.
func TestUnsetVariableNotAlsoRequired(t *testing.T) {
	text := repl("path: var/warehouse.duckdb", "path: ${WH}")(validYAML)
	_, err := Parse([]byte(text), filepath.Join(t.TempDir(), "c.yaml"), env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(err.Error(), "warehouse.path: environment variable WH is not set") {
		t.Errorf("got %v", err)
	}
}

func TestSplitPath(t *testing.T) {
	for in, want := range map[string]string{
		"feeds[2].csv.encoding": "feeds|[2]|csv|encoding",
		"schedule[0].steps[1]":  "schedule|[0]|steps|[1]",
		"timezone":              "timezone",
	} {
		if got := strings.Join(splitPath(in), "|"); got != want {
			t.Errorf("splitPath(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestBadDurationDoesNotHideTheRest: a duration that does not parse is one problem
// with its path, and the problems after it are still found.
func TestBadDurationDoesNotHideTheRest(t *testing.T) {
	text := repl("    defaults:", "    expected_every: soon\n    defaults:")(validYAML)
	text = repl(`default_to: [director@example.com]`, `default_to: [not-an-address]`)(text)
	_, err := Parse([]byte(text), filepath.Join(t.TempDir(), "c.yaml"), env(map[string]string{"SMTP_USER": "u", "SMTP_PASSWORD": "p"}))
	for _, want := range []string{`feeds[0].expected_every: invalid duration "soon"`, `alerts.default_to[0]: "not-an-address"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
