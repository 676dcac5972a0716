package edi

import (
	"fmt"
	"strconv"
)

// Level is one level of an envelope (interchange, group, message) as a syntax names
// it, for the reasons the Envelope gives.
type Level struct {
	Name    string // "transaction set": how reasons name it
	Short   string // "set": in "the set has 3"
	Trailer string // "SE": its trailer's tag; the trailer's elements 1 and 2 are its count and reference
	Ref     string // "ST02": the header element the trailer's reference must match
	Counts  string // "segments": what its trailer counts
}

// Syntax describes the envelope of an EDI syntax.
type Syntax struct {
	Interchange, Group, Message Level

	RefName string // what a trailer's element 2 is: "control number"
	Header  string // the interchange header's tag, for segments outside an interchange
	// Bare: groups and messages outside an interchange are accepted, with nothing to
	// check (EDIFACT without UNB), instead of quarantined (X12 without ISA).
	Bare bool
	// CountsMessages: the interchange trailer counts messages when the interchange has
	// no group (EDIFACT UNZ01), instead of always counting groups (X12 IEA01).
	CountsMessages bool
}

// X12 is the envelope of ANSI X12: ISA / GS / ST ... SE / GE / IEA.
var X12 = &Syntax{
	Interchange: Level{Name: "interchange", Short: "interchange", Trailer: "IEA", Ref: "ISA13", Counts: "functional groups"},
	Group:       Level{Name: "functional group", Short: "group", Trailer: "GE", Ref: "GS06", Counts: "transaction sets"},
	Message:     Level{Name: "transaction set", Short: "set", Trailer: "SE", Ref: "ST02", Counts: "segments"},
	RefName:     "control number",
	Header:      "ISA",
}

// EDIFACT is the envelope of UN/EDIFACT: UNB / UNG / UNH ... UNT / UNE / UNZ.
var EDIFACT = &Syntax{
	Interchange:    Level{Name: "interchange", Short: "interchange", Trailer: "UNZ", Ref: "UNB05", Counts: "groups"},
	Group:          Level{Name: "group", Short: "group", Trailer: "UNE", Ref: "UNG05", Counts: "messages"},
	Message:        Level{Name: "message", Short: "message", Trailer: "UNT", Ref: "UNH01", Counts: "segments"},
	RefName:        "reference",
	Header:         "UNB",
	Bare:           true,
	CountsMessages: true,
}

const endOfFile = "the end of the file"

// Envelope follows the nesting interchange > group > message of an EDI file and
// checks each trailer's count and reference against its header. A mismatch, a missing
// trailer, or (X12) a message outside an interchange quarantines what it concerns: the
// message (the reason goes to the reader's endMessage), its group or its interchange
// (the reason goes to the Outbox). The Outbox is flushed at the end of each
// interchange.
//
// The reader calls the Open and Close methods for the envelope's segments and Body for
// every other segment; it keeps what a message holds.
type Envelope struct {
	syn        *Syntax
	out        *Outbox
	endMessage func(reason string) error

	// interchange
	inICH   bool
	implied bool // opened by a group or message without a header
	ichRef  string
	ichSeg  int64
	groups  int
	msgs    int
	ichErr  string

	// group
	inGroup   bool
	groupRef  string
	groupSeg  int64
	groupMsgs int
	groupOrd  int // ordinal of the last group in the file, for Outbox.SetGroupErr

	// message
	inMsg   bool
	msgRef  string
	msgSeg  int64
	msgSegs int
}

// NewEnvelope returns the envelope of a file in syntax syn whose lines go to out.
// endMessage closes the reader's open message with a reason (empty: no structural
// problem), to set on its report.
func NewEnvelope(syn *Syntax, out *Outbox, endMessage func(reason string) error) *Envelope {
	return &Envelope{syn: syn, out: out, endMessage: endMessage}
}

// InGroup reports whether a group is open.
func (e *Envelope) InGroup() bool { return e.inGroup }

// OpenInterchange handles an interchange header s with reference ref; headerErr, when
// not empty, quarantines the whole interchange (its header is malformed).
func (e *Envelope) OpenInterchange(s *Segment, ref, headerErr string) error {
	if e.inICH {
		if err := e.endInterchange(missing(&e.syn.Interchange, e.ichRef, e.ichSeg, s.Where())); err != nil {
			return err
		}
	}
	e.inICH, e.implied, e.ichRef, e.ichSeg, e.groups, e.msgs, e.ichErr = true, false, ref, s.Ord, 0, 0, headerErr
	return nil
}

// CloseInterchange handles an interchange trailer s.
func (e *Envelope) CloseInterchange(s *Segment) error {
	if !e.inICH {
		return nil
	}
	if err := e.endGroupIfOpen(s); err != nil {
		return err
	}
	if e.ichErr == "" && !e.implied {
		want, unit := e.groups, e.syn.Interchange.Counts
		if e.syn.CountsMessages && e.groups == 0 {
			want, unit = e.msgs, e.syn.Group.Counts
		}
		e.ichErr = e.check(&e.syn.Interchange, e.ichRef, s, want, unit)
	}
	return e.endInterchange("")
}

// OpenGroup handles a group header s with reference ref.
func (e *Envelope) OpenGroup(s *Segment, ref string) error {
	e.openInterchangeIfNone(s)
	if err := e.endGroupIfOpen(s); err != nil {
		return err
	}
	e.inGroup, e.groupRef, e.groupSeg, e.groupMsgs = true, ref, s.Ord, 0
	e.groupOrd++
	e.groups++
	return nil
}

// CloseGroup handles a group trailer s.
func (e *Envelope) CloseGroup(s *Segment) error {
	if !e.inGroup {
		return nil
	}
	if err := e.endMessageIfOpen(s); err != nil {
		return err
	}
	e.out.SetGroupErr(e.groupOrd, e.check(&e.syn.Group, e.groupRef, s, e.groupMsgs, e.syn.Group.Counts))
	e.inGroup = false
	return nil
}

// OpenMessage handles a message header s with reference ref. It returns the message's
// group (0: none), for Outbox.AddReport.
func (e *Envelope) OpenMessage(s *Segment, ref string) (group int, err error) {
	e.openInterchangeIfNone(s)
	if err := e.endMessageIfOpen(s); err != nil {
		return 0, err
	}
	e.msgs++
	if e.inGroup {
		e.groupMsgs++
		group = e.groupOrd
	}
	e.inMsg, e.msgRef, e.msgSeg, e.msgSegs = true, ref, s.Ord, 1
	return group, nil
}

// CloseMessage handles a message trailer s.
func (e *Envelope) CloseMessage(s *Segment) error {
	if !e.inMsg {
		return nil
	}
	e.msgSegs++
	return e.closeMessage(e.check(&e.syn.Message, e.msgRef, s, e.msgSegs, e.syn.Message.Counts))
}

// Body counts a segment of the open message; it reports false when no message is open
// (the segment is to be ignored).
func (e *Envelope) Body() bool {
	if !e.inMsg {
		return false
	}
	e.msgSegs++
	return true
}

// End closes what is still open at the end of the file.
func (e *Envelope) End() error {
	return e.endInterchange(missing(&e.syn.Interchange, e.ichRef, e.ichSeg, endOfFile))
}

func (e *Envelope) closeMessage(reason string) error {
	e.inMsg = false
	return e.endMessage(reason)
}

func (e *Envelope) openInterchangeIfNone(s *Segment) {
	if e.inICH {
		return
	}
	e.inICH, e.implied, e.ichRef, e.ichSeg, e.groups, e.msgs, e.ichErr = true, true, "", s.Ord, 0, 0, ""
	if !e.syn.Bare {
		e.ichErr = fmt.Sprintf("%s: outside an interchange (no %s header before it)", s.Where(), e.syn.Header)
	}
}

func (e *Envelope) endMessageIfOpen(s *Segment) error {
	if e.inMsg {
		return e.closeMessage(missing(&e.syn.Message, e.msgRef, e.msgSeg, s.Where()))
	}
	return nil
}

func (e *Envelope) endGroupIfOpen(s *Segment) error {
	if err := e.endMessageIfOpen(s); err != nil {
		return err
	}
	if e.inGroup {
		e.out.SetGroupErr(e.groupOrd, missing(&e.syn.Group, e.groupRef, e.groupSeg, s.Where()))
		e.inGroup = false
	}
	return nil
}

// endInterchange closes what is open and passes the interchange's lines on; reason
// says why its trailer is missing.
func (e *Envelope) endInterchange(reason string) error {
	if !e.inICH {
		return nil
	}
	if e.inMsg {
		if err := e.closeMessage(missing(&e.syn.Message, e.msgRef, e.msgSeg, endOfFile)); err != nil {
			return err
		}
	}
	if e.inGroup {
		e.out.SetGroupErr(e.groupOrd, missing(&e.syn.Group, e.groupRef, e.groupSeg, endOfFile))
		e.inGroup = false
	}
	if e.ichErr == "" && !e.implied {
		e.ichErr = reason
	}
	e.inICH = false
	err := e.out.Flush(e.ichErr)
	e.ichErr = ""
	return err
}

// check compares trailer s of level l, opened with reference ref, with what the level
// holds: have of unit. It returns the reason of a mismatch, or "".
func (e *Envelope) check(l *Level, ref string, s *Segment, have int, unit string) string {
	if n, err := strconv.Atoi(s.El(1)); err != nil || n != have {
		return fmt.Sprintf("%s %s: %s01 says %s %s, the %s has %d", l.Name, ref, l.Trailer, Quoted(s.El(1)), unit, l.Short, have)
	}
	if s.El(2) != ref {
		return fmt.Sprintf("%s %s: %s02 %s %s does not match %s", l.Name, ref, l.Trailer, e.syn.RefName, Quoted(s.El(2)), l.Ref)
	}
	return ""
}

// missing is the reason of a level opened by segment seg with reference ref whose
// trailer did not come before before.
func missing(l *Level, ref string, seg int64, before string) string {
	return fmt.Sprintf("%s %s (segment %d): no %s trailer before %s", l.Name, ref, seg, l.Trailer, before)
}

// Quoted is s quoted, or "nothing" when s is empty: a value in a reason.
func Quoted(s string) string {
	if s == "" {
		return "nothing"
	}
	return strconv.Quote(s)
}
