package config

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats"
)

// SchemaID is the JSON Schema's $id; the file is configs/salesout.schema.json.
const SchemaID = "https://github.com/salesout/salesout/configs/salesout.schema.json"

// JSONSchema is the JSON Schema (draft-07, what editors' YAML language servers read)
// of the config file, generated from the Go types: every key from the yaml tags, no
// other key allowed, descriptions from docs (FieldDocs: the types' doc comments,
// "Type.Field" → text), and the allowed values where the code fixes them.
// configs/salesout.schema.json is its output; a test fails when the file is stale.
func JSONSchema(docs map[string]string) ([]byte, error) {
	g := schemaGen{docs: docs, defs: map[string]any{}}
	root := g.object(reflect.TypeOf(Config{}))
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = SchemaID
	root["title"] = "salesout configuration"
	root["description"] = "The configuration file of salesout (salesout validate --config FILE checks it, with its reference files and sources). " +
		"${NAME} in any string is replaced by the environment variable NAME; relative paths are relative to the file's folder."
	if len(g.defs) > 0 {
		root["definitions"] = g.defs
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("config schema: %w", err)
	}
	return buf.Bytes(), nil
}

type schemaGen struct {
	docs map[string]string
	defs map[string]any
}

var (
	textUnmarshaler = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	yamlUnmarshaler = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
	// enumRe is a doc comment that lists the allowed values: "s3 | sftp | local".
	enumRe = regexp.MustCompile(`^[a-z0-9_.-]+( \| [a-z0-9_.-]+)+$`)
)

// schemaEnums are the allowed values the code fixes, by "Type.Field" (beyond those a
// doc comment lists as "a | b | c").
func schemaEnums() map[string][]string {
	return map[string][]string{
		"Feed.Format":      formats.Names(),
		"CSV.Encoding":     Encodings,
		"Schedule.Steps":   Steps,
		"Scoring.Phasing":  {PhasingEven, PhasingLastYear},
		"Source.AfterLoad": {"leave", "archive", "delete"},
	}
}

// schemaRequired are the keys validate() requires, by type, so that an editor flags
// their absence too.
var schemaRequired = map[string][]string{
	"Config":    {"warehouse", "reference", "export"},
	"Warehouse": {"path", "publish"},
	"Source":    {"name", "type"},
	"Feed":      {"name", "distributor", "source", "match"},
	"Reference": {"channel_db"},
	"Export":    {"dir"},
	"Schedule":  {"name", "cron"},
}

// durationPattern accepts Go durations plus a "d" suffix for days (90s, 2m30s, 24h, 7d).
const durationPattern = `^\s*(([0-9]+(\.[0-9]*)?|\.[0-9]+)d|([0-9]+(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+)\s*$`

func (g *schemaGen) typeSchema(t reflect.Type, key string) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		return map[string]any{"type": "string", "pattern": durationPattern, "examples": []string{"24h", "7d", "90s"}}
	case t == refSourceType:
		return map[string]any{"anyOf": []any{
			map[string]any{"type": "string", "description": "a .csv, .parquet or .xlsx file"},
			g.object(t),
		}}
	case t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(textUnmarshaler):
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(yamlUnmarshaler):
		return map[string]any{"anyOf": []any{map[string]any{"type": "string"}, g.object(t)}}
	}
	switch t.Kind() {
	case reflect.Struct:
		return g.object(t)
	case reflect.String:
		s := map[string]any{"type": "string"}
		if vals := g.enum(key); vals != nil {
			s["enum"] = vals
		}
		return s
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		items := g.typeSchema(t.Elem(), "")
		if vals := g.enum(key); vals != nil && t.Elem().Kind() == reflect.String {
			items["enum"] = vals
		}
		return map[string]any{"type": "array", "items": items}
	case reflect.Map:
		s := map[string]any{"type": "object", "additionalProperties": g.typeSchema(t.Elem(), "")}
		if key == "Feed.Columns" {
			s["propertyNames"] = map[string]any{"enum": canon.Fields}
		}
		return s
	}
	return map[string]any{}
}

func (g *schemaGen) enum(key string) []string {
	if vals, ok := schemaEnums()[key]; ok {
		return vals
	}
	if doc := strings.TrimSpace(g.docs[key]); enumRe.MatchString(doc) {
		return strings.Split(doc, " | ")
	}
	return nil
}

// object is the schema of a struct: its yaml keys and nothing else. Each named struct is
// described once under definitions and referenced.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	name := t.Name()
	if _, done := g.defs[name]; !done {
		g.defs[name] = nil // placeholder against recursion
		props := map[string]any{}
		for _, f := range yamlFields(t) {
			key := fieldOwner(t, f.Field) + "." + f.Field.Name
			s := g.typeSchema(f.Field.Type, key)
			if doc := g.docs[key]; doc != "" {
				s = withDescription(s, doc)
			}
			props[f.Key] = s
		}
		def := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
		if req := schemaRequired[name]; req != nil {
			def["required"] = req
		}
		if doc := g.docs[name]; doc != "" {
			def["description"] = doc
		}
		g.defs[name] = def
	}
	if name == "Config" {
		root := map[string]any{}
		for k, v := range g.defs[name].(map[string]any) {
			root[k] = v
		}
		delete(g.defs, name)
		return root
	}
	return map[string]any{"$ref": "#/definitions/" + name}
}

// fieldOwner is the name of the struct that declares f (an inline struct's own name for
// its fields), for the "Type.Field" keys of docs and enums.
func fieldOwner(t reflect.Type, f reflect.StructField) string {
	if sf, ok := t.FieldByName(f.Name); ok && len(sf.Index) > 1 {
		owner := t
		for _, i := range sf.Index[:len(sf.Index)-1] {
			owner = owner.Field(i).Type
			for owner.Kind() == reflect.Pointer {
				owner = owner.Elem()
			}
		}
		return owner.Name()
	}
	return t.Name()
}

// withDescription adds a description to s; a $ref gets it beside, in an allOf, since
// draft-07 ignores siblings of $ref.
func withDescription(s map[string]any, doc string) map[string]any {
	if _, ref := s["$ref"]; ref {
		return map[string]any{"description": doc, "allOf": []any{s}}
	}
	s["description"] = doc
	return s
}
