package config

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
)

// FieldDocs reads the doc comments of the config types in the Go files of dir (this
// package's folder): "Type" → the type's comment, "Type.Field" → the field's comment
// above it and after it. JSONSchema turns them into descriptions, so that a field's
// comment is what an editor shows when completing its key.
func FieldDocs(dir string) (map[string]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := map[string]string{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("config docs: %w", err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil && len(gd.Specs) == 1 {
					doc = gd.Doc
				}
				if text := commentText(doc); text != "" {
					docs[ts.Name.Name] = text
				}
				for _, field := range st.Fields.List {
					text := strings.TrimSpace(commentText(field.Doc) + " " + commentText(field.Comment))
					if text == "" {
						continue
					}
					for _, name := range field.Names {
						docs[ts.Name.Name+"."+name.Name] = text
					}
				}
			}
		}
	}
	return docs, nil
}

// commentText is a comment group as one line of text.
func commentText(g *ast.CommentGroup) string {
	return strings.Join(strings.Fields(g.Text()), " ")
}
