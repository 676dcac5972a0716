package ingest

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/salesout/salesout/pipeline/canon"
	"github.com/salesout/salesout/pipeline/formats"
	"github.com/salesout/salesout/pipeline/warehouse"
)

// The temporary table of a file's load, per connection: value_texts holds the texts the
// loader asks sql/ingest/type_values.sql to type.
var stageDDL = []string{
	`CREATE TEMP TABLE IF NOT EXISTS value_texts (txt VARCHAR)`,
}

// stageTables are emptied before a file and after a failed one.
var stageTables = []string{"value_texts"}

// lineTarget says whose lines a stager writes: the file, the run loading it and the
// distributor of its feed.
type lineTarget struct {
	fileID, runID int64
	distributor   string
}

// defaultStageBatch is the number of lines inserted by one statement (and between two
// calls of the batch function): large enough for DuckDB's parallel insert, small enough
// to keep memory flat on any file size (the checker fills the next batch while DuckDB
// writes one).
const defaultStageBatch = 200_000

// maxWaiting is how many lines may wait for their texts to be typed.
const maxWaiting = 4096

// maxKnownValues caps the texts a Stager remembers the typing of.
const maxKnownValues = 1 << 20

// Stager types the canonical lines of one file (typing.go, with sql/ingest/type_values.sql
// for what it cannot type alone), derives their amounts, and writes the good ones to
// lines, a batch at a time, through sql/ingest/insert_lines.sql and the table function
// salesout_staged_lines (staged_lines.go), the bad ones to quarantine through an
// appender, inside the file's transaction; after each batch it calls flush. A line
// whose texts are not all known yet waits (at most maxWaiting lines, or the end of its
// batch), when the waiting lines' texts are typed together. Lines in another currency
// than the base get their base amount from sql/ingest/amount_base.sql when the file is
// flushed.
//
// Three goroutines share the work, each handing the next one its work through a
// bounded channel: the caller's (the format's parser, which calls Append), the
// checker's (the typing rules and derived values, typing.go) and the writer's, the only
// one that talks to DuckDB (a batch's insert, where DuckDB reads and compresses the
// lines on its own threads, and the typing of new texts, which the checker asks it for
// and waits on). The parser and the checker go on with the next batch while DuckDB
// writes one.
type Stager struct {
	tx     rawTx
	batch  int
	typing formats.Typing
	number numberReader
	date   dateReader
	base   string
	dates  dateWindow // the plausible invoice dates; set by the loader
	flush  func() error
	target lineTarget

	// The checker's state.
	known   map[string]value    // texts typed by type_values.sql
	unknown map[string]struct{} // texts of waiting lines not typed yet
	waiting []stagedLine
	pending int
	mask    uint32 // the fields the file's lines can have
	reports bool   // report_id is written
	cols    []stagedColumn
	outbuf  *writeChunk
	foreign int64 // lines in another currency than the base

	// The writer's state.
	quarantine, texts *duckdb.Appender
	typeArgs          []any // the parameters of sql/ingest/type_values.sql

	// The caller's side: lines are handed to the checker by chunks, and from it to the
	// writer.
	chunk   []stagedLine
	in      chan []stagedLine
	out     chan *writeChunk
	done    chan struct{} // closed when the checker and the writer have stopped
	failed  atomic.Bool   // a goroutine failed: err is set
	errMu   sync.Mutex
	err     error
	stopped bool
}

// writeChunk is what the checker hands the writer: a batch of checked lines to write,
// or a request to type texts (answered on typed).
type writeChunk struct {
	good  []checkedLine
	bad   []badLine
	texts []string
	typed chan map[string]value
}

type checkedLine struct {
	l *stagedLine
	t typedLine
}

type badLine struct {
	lineNo int64
	p      problem
	raw    string
}

// newStager returns the stager of one file inside tx. fields are the canonical fields
// its lines can have (for a tabular format, those its feed maps or defaults; nil: all),
// reports whether they belong to EDI reports.
func newStager(tx rawTx, target lineTarget, batch int, typing formats.Typing, base string, fields []string, reports bool, flush func() error) (*Stager, error) {
	s := &Stager{tx: tx, target: target, batch: batch, typing: typing, number: newNumberReader(typing), date: newDateReader(typing), base: base, flush: flush,
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
	var err error
	if s.cols, err = stagedColumns(s.mask, reports); err != nil {
		return nil, fmt.Errorf("staged lines: %w", err)
	}
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
		catalog string
	}{{&s.quarantine, "quarantine", quarantineColumns, ""}, {&s.texts, "value_texts", nil, "temp"}} {
		var app *duckdb.Appender
		var err error
		if a.columns != nil {
			app, err = duckdb.NewAppenderWithColumns(tx.dc, a.catalog, "main", a.table, a.columns)
		} else {
			app, err = duckdb.NewAppender(tx.dc, a.catalog, "main", a.table)
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
// stager's goroutines while the caller reads the next ones: Flush waits for them.
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

// chunkLines is how many lines the caller hands the checker at a time; aheadChunks how
// many chunks it may read ahead of the checker (about 30 MB of lines); writeAhead how
// many batches may wait for the writer besides the one it writes and the one the
// checker fills (none: memory stays at about two batches).
const (
	chunkLines  = 1024
	aheadChunks = 64
	writeAhead  = 0
)

// send hands the current chunk to the checker, starting the goroutines on first use;
// it returns their error once they have failed.
func (s *Stager) send() error {
	if s.failed.Load() {
		return s.stop()
	}
	if s.in == nil {
		s.in, s.out, s.done = make(chan []stagedLine, aheadChunks), make(chan *writeChunk, writeAhead), make(chan struct{})
		writer := make(chan struct{})
		go func() {
			defer close(writer)
			s.write()
		}()
		go func() {
			s.check()
			close(s.out)
			<-writer
			close(s.done)
		}()
	}
	s.in <- s.chunk
	s.chunk = make([]stagedLine, 0, chunkLines)
	return nil
}

// fail records the first error of the stager's goroutines.
func (s *Stager) fail(err error) {
	s.errMu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.errMu.Unlock()
	s.failed.Store(true)
}

// check checks the chunks of lines until the input closes, then the last batch; after
// an error it drops the rest.
func (s *Stager) check() {
	for chunk := range s.in {
		if s.failed.Load() {
			continue
		}
		for i := range chunk {
			if err := s.stage(&chunk[i]); err != nil {
				s.fail(err)
				break
			}
		}
	}
	if !s.failed.Load() {
		if err := s.flushBatch(); err != nil {
			s.fail(err)
		}
	}
}

// stop closes the checker's input, waits for both goroutines and returns their error.
func (s *Stager) stop() error {
	if s.in != nil && !s.stopped {
		close(s.in)
		<-s.done
	}
	s.stopped = true
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// stage checks one line, or keeps it until its texts are typed.
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
		if _, fast := s.date.read(d); !fast {
			if _, known := s.known[d]; !known {
				s.unknown[d], ok = struct{}{}, false
			}
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
	if d, ok := s.date.read(text); ok {
		v.day, v.dayOK = d, true
	}
	return v
}

// emit checks a line whose texts are known and adds it to the batch for the writer.
func (s *Stager) emit(l *stagedLine) error {
	if s.outbuf == nil {
		s.outbuf = &writeChunk{good: make([]checkedLine, 0, min(s.batch, defaultStageBatch))}
	}
	t, p := check(l, &s.typing, s.base, s.dates, s.lookup)
	if p != nil {
		s.outbuf.bad = append(s.outbuf.bad, badLine{lineNo: l.lineNo, p: *p, raw: l.raw})
		return nil
	}
	if l.has&^s.mask != 0 || (l.report != "" && !s.reports) {
		return fmt.Errorf("line %d has fields its format does not declare", l.lineNo)
	}
	if t.currency != s.base {
		s.foreign++
	}
	s.outbuf.good = append(s.outbuf.good, checkedLine{l: l, t: t})
	return nil
}

// resolve has the writer type the unknown texts with sql/ingest/type_values.sql, then
// checks the lines that waited for them.
func (s *Stager) resolve() error {
	if len(s.unknown) > 0 {
		if len(s.known)+len(s.unknown) > maxKnownValues {
			clear(s.known)
		}
		req := &writeChunk{texts: make([]string, 0, len(s.unknown)), typed: make(chan map[string]value, 1)}
		for t := range s.unknown {
			req.texts = append(req.texts, t)
		}
		s.out <- req
		typed, ok := <-req.typed
		if !ok {
			return errWriterFailed
		}
		for t, v := range typed {
			s.known[t] = v
		}
		clear(s.unknown)
	}
	// The waiting lines are handed over by value: the slice is reused.
	waiting := slices.Clone(s.waiting)
	for i := range waiting {
		if err := s.emit(&waiting[i]); err != nil {
			return err
		}
	}
	clear(s.waiting)
	s.waiting = s.waiting[:0]
	return nil
}

// errWriterFailed stands for the writer's own error, which fail recorded first.
var errWriterFailed = errors.New("stage: the writer failed")

// flushBatch types the waiting lines and has the writer end the batch.
func (s *Stager) flushBatch() error {
	if s.pending == 0 {
		return nil
	}
	if err := s.resolve(); err != nil {
		return err
	}
	if s.outbuf != nil {
		s.out <- s.outbuf
		s.outbuf = nil
	}
	s.pending = 0
	return nil
}

// write appends what the checker hands over until it closes the channel; after an
// error it drops the rest (answering requests to type texts with a closed channel).
func (s *Stager) write() {
	for c := range s.out {
		if s.failed.Load() {
			if c.typed != nil {
				close(c.typed)
			}
			continue
		}
		if err := s.writeChunk(c); err != nil {
			s.fail(err)
			if c.typed != nil {
				close(c.typed)
			}
		}
	}
}

func (s *Stager) writeChunk(c *writeChunk) error {
	if c.texts != nil {
		typed, err := s.typeTexts(c.texts)
		if err != nil {
			return fmt.Errorf("type values: %w", err)
		}
		c.typed <- typed
		return nil
	}
	for i := range c.bad {
		b := &c.bad[i]
		if err := s.quarantine.AppendRow(s.target.fileID, b.lineNo, b.p.field, b.p.reason, b.raw, s.target.runID); err != nil {
			return fmt.Errorf("quarantine line %d: %w", b.lineNo, err)
		}
	}
	if err := s.quarantine.Flush(); err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	if len(c.good) > 0 {
		if err := s.insert(c.good); err != nil {
			return fmt.Errorf("insert lines: %w", err)
		}
	}
	return s.flush()
}

// insert writes a batch of checked lines into lines (sql/ingest/insert_lines.sql).
// DuckDB's insert is parallel only when it need not keep the rows' order: a line's
// place in the table means nothing (line_id and line_no say where it came from), so
// the setting is lifted for this one statement.
func (s *Stager) insert(lines []checkedLine) error {
	b := &stagedBatch{lines: lines, cols: s.cols}
	id, unregister := b.register()
	defer unregister()
	if _, err := s.tx.exec("SET preserve_insertion_order = false"); err != nil {
		return err
	}
	t := s.target
	_, err := s.tx.exec(warehouse.Statement("ingest/insert_lines.sql"), t.fileID, t.fileID, t.distributor, s.base, t.runID, id)
	// Reset even when the insert was cancelled: the setting is the database's.
	reset := rawTx{ctx: context.WithoutCancel(s.tx.ctx), dc: s.tx.dc}
	if _, rerr := reset.exec("RESET preserve_insertion_order"); err == nil {
		err = rerr
	}
	return err
}

// quarantineColumns are the columns of quarantine the stager appends.
var quarantineColumns = []string{"file_id", "line_no", "field", "reason", "raw", "run_id"}

// typeTexts types texts with sql/ingest/type_values.sql.
func (s *Stager) typeTexts(texts []string) (map[string]value, error) {
	for _, t := range texts {
		if err := s.texts.AppendRow(t); err != nil {
			return nil, err
		}
	}
	if err := s.texts.Flush(); err != nil {
		return nil, err
	}
	typed := make(map[string]value, len(texts))
	if err := s.readTyped(typed); err != nil {
		return nil, err
	}
	if _, err := s.tx.exec("DELETE FROM value_texts"); err != nil {
		return nil, err
	}
	return typed, nil
}

func (s *Stager) readTyped(typed map[string]value) error {
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
		typed[t] = v
	}
}

// Flush stages the lines handed over so far and the last batch, then converts the
// foreign-currency lines; the stager takes no line after it.
func (s *Stager) Flush() error {
	if s.stopped {
		return s.stop()
	}
	if s.in == nil || len(s.chunk) > 0 {
		// Even an empty file goes through the goroutines: one path.
		if err := s.send(); err != nil {
			return err
		}
	}
	if err := s.stop(); err != nil {
		return err
	}
	if s.foreign > 0 {
		// The rate of each invoice date: the one rule of sql/ingest/amount_base.sql.
		_, err := warehouse.RunScript(s.tx.ctx, s.tx, "ingest/amount_base.sql", warehouse.Vars{"base_currency": s.base,
			"recompute_all": false, "run_id": s.target.runID, "file_id": s.target.fileID})
		if err != nil {
			return fmt.Errorf("convert amounts: %w", err)
		}
	}
	return nil
}

// close stops the goroutines, if any, and closes the appenders.
func (s *Stager) close() error {
	s.stop()
	var first error
	for _, a := range []*duckdb.Appender{s.quarantine, s.texts} {
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
