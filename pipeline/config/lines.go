package config

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// placeErrors gives each key error the line of its key in the file, drops the value
// errors (checked) at a path that already has a reading error (read: unknown key, unset
// ${VAR}, wrong type), and orders the list by line, problems without a line last.
func placeErrors(doc *yaml.Node, read, checked Errors) Errors {
	bad := map[string]bool{}
	out := make(Errors, 0, len(read)+len(checked))
	for i, err := range slices.Concat(read, checked) {
		var ke *KeyError
		if errors.As(err, &ke) && ke.Path != "" {
			if i >= len(read) && bad[ke.Path] {
				continue
			}
			if i < len(read) {
				bad[ke.Path] = true
			}
			if ke.Line == 0 {
				ke.Line = lineOf(doc, ke.Path)
			}
		}
		out = append(out, err)
	}
	slices.SortStableFunc(out, func(a, b error) int {
		la, lb := errLine(a), errLine(b)
		switch {
		case la == lb:
			return 0
		case la == 0:
			return 1
		case lb == 0:
			return -1
		}
		return cmp.Compare(la, lb)
	})
	return out
}

func errLine(err error) int {
	var ke *KeyError
	if errors.As(err, &ke) {
		return ke.Line
	}
	return 0
}

// lineOf is the line of the key at path (feeds[2].csv.encoding) in doc; when the key
// is absent, the line of its nearest parent that is there.
func lineOf(doc *yaml.Node, path string) int {
	n, line := doc, doc.Line
	for _, seg := range splitPath(path) {
		next, keyLine := child(n, seg)
		if next == nil {
			break
		}
		n, line = next, keyLine
	}
	return line
}

// splitPath splits feeds[2].csv.encoding into feeds, [2], csv, encoding.
func splitPath(path string) []string {
	var segs []string
	for _, part := range strings.Split(path, ".") {
		for part != "" {
			i := strings.IndexByte(part[1:], '[')
			if i < 0 {
				segs = append(segs, part)
				break
			}
			segs = append(segs, part[:i+1])
			part = part[i+1:]
		}
	}
	return segs
}

// child is the value under seg (a key, or [i] in a sequence) and the line of its key.
func child(n *yaml.Node, seg string) (*yaml.Node, int) {
	switch {
	case n.Kind == yaml.SequenceNode && strings.HasPrefix(seg, "[") && strings.HasSuffix(seg, "]"):
		i, err := strconv.Atoi(seg[1 : len(seg)-1])
		if err != nil || i < 0 || i >= len(n.Content) {
			return nil, 0
		}
		return n.Content[i], n.Content[i].Line
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1], n.Content[i].Line
			}
		}
	}
	return nil, 0
}

var yamlLineRe = regexp.MustCompile(`^line (\d+): (.*)$`)

// typeErr turns one of yaml's "line 12: cannot unmarshal !!str `abc` into int" into a
// KeyError with the key path found at that line.
func typeErr(doc *yaml.Node, msg string) error {
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return &KeyError{Msg: msg}
	}
	line, _ := strconv.Atoi(m[1])
	text := strings.Replace(m[2], "cannot unmarshal", "wrong type: cannot read", 1)
	return &KeyError{Path: pathAtLine(doc, "", line), Msg: text, Line: line}
}

// pathAtLine is the key path of the value that starts on line, "" when none does.
func pathAtLine(n *yaml.Node, path string, line int) string {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if p := pathAtLine(c, path, line); p != "" {
				return p
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := join(path, k.Value)
			if v.Line == line && v.Kind == yaml.ScalarNode {
				return p
			}
			if q := pathAtLine(v, p, line); q != "" {
				return q
			}
			if k.Line == line {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := path + "[" + strconv.Itoa(i) + "]"
			if q := pathAtLine(c, p, line); q != "" {
				return q
			}
			if c.Line == line && c.Kind == yaml.ScalarNode {
				return p
			}
		}
	}
	return ""
}
