package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Errors is every problem found in a config, each naming its key path.
type Errors []error

func (e Errors) Error() string {
	msgs := make([]string, len(e))
	for i, err := range e {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "\n")
}

// KeyError is one problem at one key path, e.g. feeds[2].csv.encoding, and the line of
// the config file it is on (0 when unknown: a required key that is absent is placed on
// its parent's line).
type KeyError struct {
	Path string
	Msg  string
	Line int
}

func (e *KeyError) Error() string {
	msg := e.Msg
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	if e.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return msg
}

func keyErr(path, format string, args ...any) error {
	return &KeyError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Load reads, expands, checks and validates the config file at path.
// Environment variables are read through getenv (os.Getenv when nil).
func Load(path string, getenv func(string) (string, bool)) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path, getenv)
}

// Parse is Load on bytes already read; path places relative paths.
func Parse(data []byte, path string, getenv func(string) (string, bool)) (*Config, error) {
	if getenv == nil {
		getenv = os.LookupEnv
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	var errs Errors
	if len(root.Content) == 0 {
		return nil, Errors{keyErr("", "config %s is empty", path)}
	}
	doc := root.Content[0]
	expandEnv(doc, "", getenv, &errs)
	checkKeys(doc, reflect.TypeOf(Config{}), "", &errs)
	// Unknown keys, unset variables and values of the wrong type do not stop here: the
	// rest is decoded and validated too, so that one list holds every problem.
	var c Config
	decoded := true
	if err := doc.Decode(&c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, m := range te.Errors {
				errs = append(errs, typeErr(doc, m))
			}
		} else {
			// A value's own parser failed (a duration, a reference source): decoding
			// stopped there, and what follows it was not read.
			errs = append(errs, err)
			decoded = false
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c.File = path
	c.Dir = filepath.Dir(abs)
	var checked Errors
	if decoded {
		c.applyDefaults()
		c.Matching.applyDefaults(c.Warehouse.Path)
		checked = append(checked, c.validate()...)
		checked = append(checked, c.Matching.validate()...)
	}
	if len(errs)+len(checked) > 0 {
		return nil, placeErrors(doc, errs, checked)
	}
	c.resolvePaths()
	c.Matching.resolvePath(c.Dir)
	return &c, nil
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces ${NAME} in every scalar value; an unset variable is an error.
func expandEnv(n *yaml.Node, path string, getenv func(string) (string, bool), errs *Errors) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			expandEnv(n.Content[i+1], join(path, n.Content[i].Value), getenv, errs)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			expandEnv(c, fmt.Sprintf("%s[%d]", path, i), getenv, errs)
		}
	case yaml.ScalarNode:
		if !strings.Contains(n.Value, "${") {
			return
		}
		n.Value = envRef.ReplaceAllStringFunc(n.Value, func(m string) string {
			name := m[2 : len(m)-1]
			v, ok := getenv(name)
			if !ok {
				*errs = append(*errs, keyErr(path, "environment variable %s is not set", name))
			}
			return v
		})
		// An expanded value is a string, whatever it looks like.
		if n.Tag != "!!str" {
			n.Tag = "!!str"
			n.Style = yaml.DoubleQuotedStyle
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var (
	durationType  = reflect.TypeOf(Duration{})
	refSourceType = reflect.TypeOf(RefSource{})
)

// checkKeys reports every mapping key that the Go type t does not declare.
func checkKeys(n *yaml.Node, t reflect.Type, path string, errs *Errors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == durationType:
		// Checked here, with its path, so that a bad duration does not stop decoding
		// (and hide every later problem): it is reported and read as zero.
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			if _, err := parseDuration(n.Value); err != nil {
				*errs = append(*errs, &KeyError{Path: path, Msg: err.Error(), Line: n.Line})
				n.Value, n.Tag, n.Style = "0s", "!!str", 0
			}
		}
		return
	case t == refSourceType && n.Kind == yaml.ScalarNode:
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
				return
			}
			*errs = append(*errs, keyErr(path, "expected a mapping"))
			return
		}
		fields := map[string]reflect.Type{}
		for _, f := range yamlFields(t) {
			fields[f.Key] = f.Field.Type
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			ft, ok := fields[k]
			if !ok {
				*errs = append(*errs, keyErr(join(path, k), "unknown key"))
				continue
			}
			checkKeys(n.Content[i+1], ft, join(path, k), errs)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for i, c := range n.Content {
				checkKeys(c, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				checkKeys(n.Content[i+1], t.Elem(), join(path, n.Content[i].Value), errs)
			}
		}
	}
}

// yamlField is a struct field as YAML sees it: its key and the field.
type yamlField struct {
	Key   string
	Field reflect.StructField
}

// yamlFields lists the keys of struct type t in declaration order, with the fields of
// `yaml:",inline"` structs in place.
func yamlFields(t reflect.Type) []yamlField {
	var out []yamlField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if tag == "" && opts == "inline" && ft.Kind() == reflect.Struct {
			out = append(out, yamlFields(ft)...)
			continue
		}
		if tag == "" || tag == "-" || !f.IsExported() {
			continue
		}
		out = append(out, yamlField{Key: tag, Field: f})
	}
	return out
}

// UnmarshalYAML accepts a plain file path or a mapping {file: ...} / {postgres: {...}}.
func (r *RefSource) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		r.File = n.Value
		return nil
	}
	type plain RefSource
	return n.Decode((*plain)(r))
}

func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "d") {
		n, err := strconv.ParseFloat(strings.TrimSuffix(s, "d"), 64)
		if err != nil {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use 90s, 2m, 24h or 7d)", s)
	}
	return d, nil
}
