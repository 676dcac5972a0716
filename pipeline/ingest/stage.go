package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// The temporary tables of a file's load, per connection: batch_lines holds a batch of
// typed lines and batch_quarantine its bad lines, for sql/ingest/insert_lines.sql;
// value_texts the texts the loader asks sql/ingest/type_values.sql to type.
var stageDDL = []string{
	`CREATE TEMP TABLE IF NOT EXISTS batch_lines (line_no BIGINT, day INTEGER, invoice_number VARCHAR,
		reseller_id VARCHAR, reseller_name VARCHAR, reseller_vat VARCHAR, reseller_registration VARCHAR,
		reseller_address VARCHAR, reseller_postcode VARCHAR, reseller_city VARCHAR, reseller_country VARCHAR,
		end_customer_name VARCHAR, end_customer_postcode VARCHAR, end_customer_country VARCHAR,
		sku VARCHAR, distributor_sku VARCHAR, gtin VARCHAR,
		quantity DECIMAL(18,4), unit_price DECIMAL(18,4), amount DECIMAL(18,4), currency VARCHAR, report_id VARCHAR)`,
	`CREATE TEMP TABLE IF NOT EXISTS batch_quarantine (line_no BIGINT, field VARCHAR, reason VARCHAR, raw VARCHAR)`,
	`CREATE TEMP TABLE IF NOT EXISTS value_texts (txt VARCHAR)`,
}

// stageTables are emptied before a file and after a failed one.
var stageTables = []string{"batch_lines", "batch_quarantine", "value_texts"}

// batchColumns are the columns of batch_lines a file's lines can fill: the canonical
// fields in the mask (bit i for canon.Fields[i]), the typed ones always; report_id for a
// format with reports. The others stay NULL, at no cost per line.
func batchColumns(mask uint32, reports bool) (names []string, fields []int) {
	names = []string{"line_no", "day"}
	for i, f := range canon.Fields {
		switch f {
		case "invoice_date", "quantity", "unit_price", "amount", "currency":
			continue
		}
		if mask&(1<<i) != 0 {
			names, fields = append(names, f), append(fields, i)
		}
	}
	names = append(names, "quantity", "unit_price", "amount", "currency")
	if reports {
		names = append(names, "report_id")
	}
	return names, fields
}

// defaultStageBatch is the number of lines typed before a batch is written into lines:
// large enough for DuckDB's vectorised insert, small enough to keep memory flat on any
// file size.
const defaultStageBatch = 200_000

// maxWaiting is how many lines may wait for their texts to be typed.
const maxWaiting = 4096

// maxKnownValues caps the texts a Stager remembers the typing of.
const maxKnownValues = 1 << 20

// Stager types the canonical lines of one file (typing.go, with sql/ingest/type_values.sql
// for what it cannot type alone) and appends the good ones to batch_lines, the bad ones
// to batch_quarantine, through DuckDB's appenders; it hands each full batch to flush.
// A line whose texts are not all known yet waits for the end of its batch, when the
// batch's unknown texts are typed together.
type Stager struct {
	tx     rawTx
	batch  int
	typing formats.Typing
	number numberReader
	base   string
	dates  dateWindow // the plausible invoice dates; set by the loader
	flush  func() error

	lines, quarantine, texts *duckdb.Appender
	row                      []driver.Value
	mask                     uint32 // the fields the file's lines can have
	fields                   []int  // the text fields appended, in order
	reports                  bool   // report_id is appended

	known    map[string]value    // texts typed by type_values.sql
	unknown  map[string]struct{} // texts of waiting lines not typed yet
	waiting  []stagedLine
	pending  int
	rows     int64
	typeArgs []any // the parameters of sql/ingest/type_values.sql

	// The caller's side: lines are handed to the worker goroutine by chunks.
	chunk   []stagedLine
	in      chan []stagedLine
	done    chan struct{} // closed when the worker has stopped
	failed  atomic.Bool   // the worker failed: err is set
	err     error         // the worker's error, read after done
	stopped bool
}

// newStager returns the stager of one file inside tx. fields are the canonical fields
// its lines can have (for a tabular format, those its feed maps or defaults; nil: all),
// reports whether they belong to EDI reports.
func newStager(tx rawTx, batch int, typing formats.Typing, base string, fields []string, reports bool, flush func() error) (*Stager, error) {
	s := &Stager{tx: tx, batch: batch, typing: typing, number: newNumberReader(typing), base: base, flush: flush,
		known: map[string]value{}, unknown: map[string]struct{}{}, reports: reports}
	if s.batch <= 0 {
		s.batch = defaultStageBatch
	}
	if fields == nil {
		fields = canon.Fields
	}
	for _, f := range fields {
		if i := canon.Index(f); i >= 0 {
			s.mask |= 1 << i
		}
	}
	names, textFields := batchColumns(s.mask, reports)
	s.fields, s.row = textFields, make([]driver.Value, len(names))
	var dateAlt any
	if typing.DateFormatAlt != "" {
		dateAlt = typing.DateFormatAlt
	}
	f := typing.DateFormat
	s.typeArgs = []any{f, f, f, dateAlt, dateAlt, typing.Strip, typing.Decimal}
	for _, a := range []struct {
		app     **duckdb.Appender
		table   string
		columns []string
	}{{&s.lines, "batch_lines", names}, {&s.quarantine, "batch_quarantine", nil}, {&s.texts, "value_texts", nil}} {
		var app *duckdb.Appender
		var err error
		if a.columns != nil {
			app, err = duckdb.NewAppenderWithColumns(tx.dc, "temp", "main", a.table, a.columns)
		} else {
			app, err = duckdb.NewAppender(tx.dc, "temp", "main", a.table)
		}
		if err != nil {
			s.close()
			return nil, fmt.Errorf("staging appender: %w", err)
		}
		*a.app = app
	}
	return s, nil
}

// Append stages one line.
func (s *Stager) Append(l canon.Line) error { return s.AppendIn(l, "") }

// AppendIn stages one line of an EDI report. The line is checked and written by the
// stager's worker while the caller reads the next ones: Flush waits for it.
func (s *Stager) AppendIn(l canon.Line, report string) error {
	st := stagedLine{lineNo: l.LineNo, raw: l.Raw, err: l.Err, report: report}
	for i := range canon.Fields {
		if i < len(l.Fields) && l.Fields[i] != nil {
			// Trimmed here, once, for every format: the rules take empty as absent.
			if v := strings.TrimSpace(*l.Fields[i]); v != "" {
				st.vals[i], st.has = v, st.has|1<<i
			}
		}
	}
	if s.chunk = append(s.chunk, st); len(s.chunk) == chunkLines {
		return s.send()
	}
	return nil
}

// chunkLines is how many lines the caller hands the worker at a time, aheadChunks how
// many chunks it may read ahead of the worker (about 30 MB of lines).
const (
	chunkLines  = 1024
	aheadChunks = 64
)

// send hands the current chunk to the worker, starting it on first use; it returns the
// worker's error once it has failed.
func (s *Stager) send() error {
	if s.failed.Load() {
		return s.stop()
	}
	if s.in == nil {
		// Room for the caller to read ahead while the worker writes a batch into lines.
		s.in, s.done = make(chan []stagedLine, aheadChunks), make(chan struct{})
		go s.work()
	}
	s.in <- s.chunk
	s.chunk = make([]stagedLine, 0, chunkLines)
	return nil
}

// work checks and writes the chunks of lines until the input closes; after an error it
// drops the rest.
func (s *Stager) work() {
	defer close(s.done)
	for chunk := range s.in {
		if s.err != nil {
			continue
		}
		for i := range chunk {
			if err := s.stage(&chunk[i]); err != nil {
				s.err = err
				s.failed.Store(true)
				break
			}
		}
	}
}

// stop closes the worker's input, waits for it and returns its error.
func (s *Stager) stop() error {
	if s.in != nil && !s.stopped {
		close(s.in)
		<-s.done
	}
	s.stopped = true
	return s.err
}

// stage checks and writes one line, or keeps it until its texts are typed.
func (s *Stager) stage(st *stagedLine) error {
	if s.allKnown(st) {
		if err := s.emit(st); err != nil {
			return err
		}
	} else if s.waiting = append(s.waiting, *st); len(s.waiting) >= maxWaiting {
		if err := s.resolve(); err != nil {
			return err
		}
	}
	s.rows++
	if s.pending++; s.pending >= s.batch {
		return s.flushBatch()
	}
	return nil
}

// allKnown reports whether the typed texts of l are all known, noting the unknown ones.
func (s *Stager) allKnown(l *stagedLine) bool {
	if l.err != "" {
		return true
	}
	ok := true
	if d, has := l.get(fInvoiceDate); has {
		if _, known := s.known[d]; !known {
			s.unknown[d], ok = struct{}{}, false
		}
	}
	for _, f := range [...]int{fQuantity, fUnitPrice, fAmount} {
		if n, has := l.get(f); has {
			if _, fast := s.number.read(n); fast {
				continue
			}
			if _, known := s.known[n]; !known {
				s.unknown[n], ok = struct{}{}, false
			}
		}
	}
	return ok
}

// lookup types a text the way type_values.sql did or would.
func (s *Stager) lookup(text string) value {
	v := s.known[text]
	if n, ok := s.number.read(text); ok {
		v.num, v.numOK = n, true
	}
	return v
}

// emit checks a line whose texts are known and appends it to batch_lines or
// batch_quarantine.
func (s *Stager) emit(l *stagedLine) error {
	t, p := check(l, &s.typing, s.base, s.dates, s.lookup)
	if p != nil {
		return s.quarantine.AppendRow(l.lineNo, p.field, p.reason, l.raw)
	}
	if l.has&^s.mask != 0 || (l.report != "" && !s.reports) {
		return fmt.Errorf("line %d has fields its format does not declare", l.lineNo)
	}
	r := s.row
	r[0], r[1] = l.lineNo, t.day
	for i, f := range s.fields {
		if v, ok := l.get(f); ok {
			r[2+i] = v
		} else {
			r[2+i] = nil
		}
	}
	n := 2 + len(s.fields)
	r[n] = t.quantity
	r[n+1], r[n+2] = nil, nil
	if t.hasUnitPrice {
		r[n+1] = t.unitPrice
	}
	if t.hasAmount {
		r[n+2] = t.amount
	}
	r[n+3] = t.currency
	if s.reports {
		r[n+4] = nil
		if l.report != "" {
			r[n+4] = l.report
		}
	}
	return s.lines.AppendRow(r...)
}

// resolve types the unknown texts with sql/ingest/type_values.sql and checks the lines
// that waited for them.
func (s *Stager) resolve() error {
	if len(s.unknown) > 0 {
		if len(s.known)+len(s.unknown) > maxKnownValues {
			clear(s.known)
		}
		for t := range s.unknown {
			if err := s.texts.AppendRow(t); err != nil {
				return fmt.Errorf("stage texts to type: %w", err)
			}
		}
		if err := s.texts.Flush(); err != nil {
			return fmt.Errorf("stage texts to type: %w", err)
		}
		if err := s.readTyped(); err != nil {
			return fmt.Errorf("type values: %w", err)
		}
		if _, err := s.tx.exec("DELETE FROM value_texts"); err != nil {
			return err
		}
		clear(s.unknown)
	}
	for i := range s.waiting {
		if err := s.emit(&s.waiting[i]); err != nil {
			return err
		}
	}
	clear(s.waiting)
	s.waiting = s.waiting[:0]
	return nil
}

func (s *Stager) readTyped() error {
	rows, err := s.tx.dc.(driver.QueryerContext).QueryContext(s.tx.ctx, warehouse.Statement("ingest/type_values.sql"), namedValues(s.typeArgs))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, 3)
	for {
		if err := rows.Next(vals); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		var v value
		if d, ok := vals[1].(int32); ok {
			v.day, v.dayOK = d, true
		}
		if n, ok := vals[2].(int64); ok {
			v.num, v.numOK = n, true
		}
		t, _ := vals[0].(string)
		s.known[t] = v
	}
}

// Flush stages the lines handed over so far and the last batch; the stager takes no
// line after it.
func (s *Stager) Flush() error {
	if s.stopped {
		return s.err
	}
	if len(s.chunk) > 0 {
		if err := s.send(); err != nil {
			return err
		}
	}
	if err := s.stop(); err != nil {
		return err
	}
	if err := s.flushBatch(); err != nil {
		s.err = err
	}
	return s.err
}

// flushBatch types the waiting lines and hands the batch to the batch function.
func (s *Stager) flushBatch() error {
	if s.pending == 0 {
		return nil
	}
	if err := s.resolve(); err != nil {
		return err
	}
	for _, a := range []*duckdb.Appender{s.lines, s.quarantine} {
		if err := a.Flush(); err != nil {
			return fmt.Errorf("stage: %w", err)
		}
	}
	s.pending = 0
	return s.flush()
}

// close stops the worker, if any, and closes the appenders.
func (s *Stager) close() error {
	s.stop()
	var first error
	for _, a := range []*duckdb.Appender{s.lines, s.quarantine, s.texts} {
		if a != nil {
			if err := a.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// rawTx runs statements on the driver connection of a file's load, inside one explicit
// transaction that also holds the appender's rows (database/sql's Tx cannot share its
// connection with an appender).
type rawTx struct {
	ctx context.Context
	dc  driver.Conn
}

func namedValues(args []any) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

func (t rawTx) exec(q string, args ...any) (int64, error) {
	res, err := t.dc.(driver.ExecerContext).ExecContext(t.ctx, q, namedValues(args))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ExecContext makes rawTx a warehouse.Execer, for the step files run inside a file's
// transaction.
func (t rawTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.dc.(driver.ExecerContext).ExecContext(ctx, q, namedValues(args))
}

// scan runs a one-row query and stores its columns into dest (*int64 or *string); a
// NULL leaves the destination as it is, a value of another type is an error.
func (t rawTx) scan(q string, args []any, dest ...any) error {
	rows, err := t.dc.(driver.QueryerContext).QueryContext(t.ctx, q, namedValues(args))
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]driver.Value, len(rows.Columns()))
	if err := rows.Next(vals); err != nil {
		if err == io.EOF {
			return nil
		}
		return err
	}
	for i, d := range dest {
		if vals[i] == nil {
			continue
		}
		ok := false
		switch p := d.(type) {
		case *int64:
			var v int64
			if v, ok = vals[i].(int64); ok {
				*p = v
			}
		case *string:
			var v string
			if v, ok = vals[i].(string); ok {
				*p = v
			}
		}
		if !ok {
			return fmt.Errorf("scan column %d: %T into %T", i+1, vals[i], d)
		}
	}
	return nil
}

// emptyStage empties the staging tables, before a file and after a failed one.
func emptyStage(tx rawTx) error {
	for _, t := range stageTables {
		if _, err := tx.exec("DELETE FROM " + t); err != nil {
			return fmt.Errorf("empty %s: %w", t, err)
		}
	}
	return nil
}
