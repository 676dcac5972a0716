package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite configs/salesout.schema.json")

const schemaFile = "../../configs/salesout.schema.json"

// TestSchemaUpToDate regenerates the JSON Schema from the Go types and compares it with
// configs/salesout.schema.json. After changing a config type: go test ./pipeline/config
// -run TestSchemaUpToDate -update (or make schema).
func TestSchemaUpToDate(t *testing.T) {
	got := generatedSchema(t)
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./pipeline/config -run TestSchemaUpToDate -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: regenerate it with go test ./pipeline/config -run TestSchemaUpToDate -update (or make schema)", schemaFile)
	}
}

func generatedSchema(t *testing.T) []byte {
	t.Helper()
	docs, err := FieldDocs(".")
	if err != nil {
		t.Fatal(err)
	}
	b, err := JSONSchema(docs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSchemaAcceptsConfigs: the example config and the test configs use only keys the
// schema knows, with values of the types it says; an unknown key or a wrong enum value
// is refused (a small checker for the parts of JSON Schema the generator emits).
func TestSchemaAcceptsConfigs(t *testing.T) {
	var schema map[string]any
	if err := json.Unmarshal(generatedSchema(t), &schema); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../configs/*.yaml")
	more, _ := filepath.Glob("../../testdata/*/config.yaml")
	files = append(files, more...)
	if len(files) < 2 {
		t.Fatalf("only %d config files found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if probs := checkAgainstSchema(t, schema, data); len(probs) > 0 {
			t.Errorf("%s:\n  %s", f, strings.Join(probs, "\n  "))
		}
	}
	bad := validYAML + "warehose: {}\nfeeds_extra: 1\n"
	bad = strings.Replace(bad, "  publish: var/analytics.duckdb\n", "", 1)
	bad = strings.Replace(bad, "encoding: windows-1252", "encoding: utf8x", 1)
	bad = strings.Replace(bad, "memory_limit: 2GB", "memory_limit: 2GB\n  threads: many", 1)
	probs := strings.Join(checkAgainstSchema(t, schema, []byte(bad)), "\n")
	for _, want := range []string{"warehose: unknown key", "feeds[0].csv.encoding: \"utf8x\" not in", "warehouse.threads: want integer", "warehouse.publish: required"} {
		if !strings.Contains(probs, want) {
			t.Errorf("the schema does not refuse %q; problems:\n%s", want, probs)
		}
	}
}

func checkAgainstSchema(t *testing.T, schema map[string]any, data []byte) []string {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	defs, _ := schema["definitions"].(map[string]any)
	var probs []string
	var check func(n *yaml.Node, s map[string]any, path string) []string
	check = func(n *yaml.Node, s map[string]any, path string) []string {
		var out []string
		if ref, ok := s["$ref"].(string); ok {
			return check(n, defs[strings.TrimPrefix(ref, "#/definitions/")].(map[string]any), path)
		}
		if all, ok := s["allOf"].([]any); ok {
			for _, sub := range all {
				out = append(out, check(n, sub.(map[string]any), path)...)
			}
		}
		if alts, ok := s["anyOf"].([]any); ok {
			var best []string
			for i, sub := range alts {
				p := check(n, sub.(map[string]any), path)
				if len(p) == 0 {
					return out
				}
				if i == 0 || len(p) < len(best) {
					best = p
				}
			}
			return append(out, best...)
		}
		if n.Tag == "!!null" {
			return out
		}
		switch s["type"] {
		case "object":
			if n.Kind != yaml.MappingNode {
				return append(out, path+": want a mapping")
			}
			props, _ := s["properties"].(map[string]any)
			req, _ := s["required"].([]any)
			for _, r := range req {
				if _, found := child(n, r.(string)); found == 0 {
					out = append(out, join(path, r.(string))+": required")
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				p := join(path, k)
				if names, ok := s["propertyNames"].(map[string]any); ok && !inEnum(names["enum"], k) {
					out = append(out, p+": key not in propertyNames")
				}
				if sub, ok := props[k].(map[string]any); ok {
					out = append(out, check(n.Content[i+1], sub, p)...)
				} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
					out = append(out, check(n.Content[i+1], ap, p)...)
				} else {
					out = append(out, p+": unknown key")
				}
			}
		case "array":
			if n.Kind != yaml.SequenceNode {
				return append(out, path+": want a list")
			}
			for i, c := range n.Content {
				out = append(out, check(c, s["items"].(map[string]any), fmt.Sprintf("%s[%d]", path, i))...)
			}
		case "string", "integer", "number", "boolean":
			want := map[any]string{"string": "!!str", "integer": "!!int", "number": "!!float", "boolean": "!!bool"}[s["type"]]
			// A date is a string to YAML 1.2 (editors), a !!timestamp to yaml.v3.
			ok := n.Tag == want || (want == "!!float" && n.Tag == "!!int") || (want == "!!str" && n.Tag == "!!timestamp") || strings.Contains(n.Value, "${")
			if n.Kind != yaml.ScalarNode || !ok {
				return append(out, fmt.Sprintf("%s: want %s, got %s", path, s["type"], n.Tag))
			}
			if e, ok := s["enum"]; ok && !inEnum(e, n.Value) {
				out = append(out, fmt.Sprintf("%s: %q not in %v", path, n.Value, e))
			}
		}
		return out
	}
	probs = check(root.Content[0], schema, "")
	return probs
}

func inEnum(e any, v string) bool {
	list, _ := e.([]any)
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
