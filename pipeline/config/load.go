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

// KeyError is one problem at one key path, e.g. feeds[2].csv.encoding.
type KeyError struct {
	Path string
	Msg  string
}

func (e *KeyError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
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
	var c Config
	if err := doc.Decode(&c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, m := range te.Errors {
				errs = append(errs, keyErr("", "%s", m))
			}
		} else {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	c.File = path
	c.Dir = filepath.Dir(abs)
	c.applyDefaults()
	c.Matching.applyDefaults(c.Warehouse.Path)
	errs = append(errs, c.validate()...)
	errs = append(errs, c.Matching.validate()...)
	if len(errs) > 0 {
		return nil, errs
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
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if tag == "" || tag == "-" {
				continue
			}
			fields[tag] = f.Type
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
