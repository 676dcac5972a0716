package truth

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// Load reads companies.csv and resellers.csv from dir. Errors name the file, the line
// and the field at fault. It checks that partner ids are unique, that every reseller's
// case is known and that every true_partner_id names a company of companies.csv.
func Load(dir string) (*Corpus, error) {
	c := &Corpus{}
	ids := map[string]bool{}
	err := readCSV(filepath.Join(dir, companiesFile), companyColumns, func(line int, f []string) error {
		co := Company{PartnerID: f[0], Name: f[1], Registration: f[2], VAT: f[3],
			Address: f[4], Postcode: f[5], City: f[6], Country: f[7]}
		switch {
		case co.PartnerID == "":
			return fieldError(line, "partner_id", "empty")
		case ids[co.PartnerID]:
			return fieldError(line, "partner_id", fmt.Sprintf("%q appears twice", co.PartnerID))
		case co.Name == "":
			return fieldError(line, "name", "empty")
		case co.Country == "":
			return fieldError(line, "country", "empty")
		}
		ids[co.PartnerID] = true
		c.Companies = append(c.Companies, co)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(filepath.Join(dir, resellersFile), resellerColumns, func(line int, f []string) error {
		r := Reseller{Case: f[0], Distributor: f[1], ResellerID: f[2], Name: f[3], Registration: f[4],
			VAT: f[5], Address: f[6], Postcode: f[7], City: f[8], Country: f[9], TruePartnerID: f[10]}
		switch {
		case !slices.Contains(cases, r.Case):
			return fieldError(line, "case", fmt.Sprintf("unknown case %q", r.Case))
		case r.Distributor == "":
			return fieldError(line, "distributor", "empty")
		case r.Name == "":
			return fieldError(line, "reseller_name", "empty")
		case r.TruePartnerID != "" && !ids[r.TruePartnerID]:
			return fieldError(line, "true_partner_id", fmt.Sprintf("%q is not in %s", r.TruePartnerID, companiesFile))
		}
		c.Resellers = append(c.Resellers, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// lineError is a problem at one line (and possibly one field) of a file.
type lineError struct {
	file  string
	line  int
	field string
	msg   string
}

// Error names the file, the line and the field.
func (e *lineError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("truth: %s: line %d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("truth: %s: line %d: field %s: %s", e.file, e.line, e.field, e.msg)
}

// fieldError is a problem with a field of a record; readCSV adds the file name.
func fieldError(line int, field, msg string) error {
	return &lineError{line: line, field: field, msg: msg}
}

// readCSV reads path, checks its header against columns and calls row for every record
// with its line number. A UTF-8 byte order mark is tolerated.
func readCSV(path string, columns []string, row func(line int, fields []string) error) error {
	name := filepath.Base(path)
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return csvError(name, err)
	}
	if !slices.Equal(header, columns) {
		return &lineError{file: name, line: 1, msg: fmt.Sprintf("header is %s, want %s",
			strings.Join(header, ","), strings.Join(columns, ","))}
	}
	r.FieldsPerRecord = len(columns)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		for i, f := range rec {
			if !utf8.ValidString(f) {
				return &lineError{file: name, line: line, field: columns[i], msg: "not valid UTF-8"}
			}
		}
		if err := row(line, rec); err != nil {
			var le *lineError
			if errors.As(err, &le) {
				le.file = name
			}
			return err
		}
	}
}

// csvError turns an encoding/csv error into a lineError naming the file.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &lineError{file: name, line: pe.Line, msg: pe.Err.Error()}
	}
	return fmt.Errorf("truth: %s: %w", name, err)
}

// Write writes companies.csv and resellers.csv into dir, creating it if needed.
func (c *Corpus) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	companies := make([][]string, len(c.Companies))
	for i, co := range c.Companies {
		companies[i] = []string{co.PartnerID, co.Name, co.Registration, co.VAT, co.Address, co.Postcode, co.City, co.Country}
	}
	resellers := make([][]string, len(c.Resellers))
	for i, r := range c.Resellers {
		resellers[i] = []string{r.Case, r.Distributor, r.ResellerID, r.Name, r.Registration, r.VAT,
			r.Address, r.Postcode, r.City, r.Country, r.TruePartnerID}
	}
	if err := writeCSV(filepath.Join(dir, companiesFile), companyColumns, companies); err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, resellersFile), resellerColumns, resellers)
}

// writeCSV writes a header and records to path (LF line endings).
func writeCSV(path string, header []string, records [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	_ = w.WriteAll(records) // writes to a buffer: the only error is the flush's, checked below
	if err := w.Error(); err != nil {
		return fmt.Errorf("truth: %s: %w", filepath.Base(path), err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("truth: %w", err)
	}
	return nil
}
