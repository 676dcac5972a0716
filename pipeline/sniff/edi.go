package sniff

// X12 867 and EDIFACT SLSRPT: the format carries its own structure; what is worth
// saying is who sent the files (a distributor code) and whether they carry a currency.

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/salesout/salesout/pipeline/formats/edi"
)

// ediFacts are what the samples' envelopes say.
type ediFacts struct {
	senderID   string // ISA06 / UNB sender
	senderName string // N1*DS / N1*SE name, NAD+FR / NAD+SE name
	currency   string // CUR02 / CUX+2
}

// sniffEDI notes the sender and the currency of EDI samples.
func (p *proposer) sniffEDI() {
	var facts []ediFacts
	for _, s := range p.samples {
		if p.prop.Proposed.Format == formatX12 {
			facts = append(facts, x12Facts(s.data))
		} else {
			facts = append(facts, edifactFacts(s.data))
		}
	}
	f := facts[0]
	for _, g := range facts[1:] {
		if g.senderID != f.senderID {
			p.warn("the samples come from several senders (%s, %s): one feed per distributor is usual", f.senderID, g.senderID)
			break
		}
	}
	if f.senderID != "" || f.senderName != "" {
		who := strings.TrimSpace(f.senderID)
		if f.senderName != "" {
			who = fmt.Sprintf("%s (%s)", who, f.senderName)
		}
		n := p.noteRef("distributor")
		if n != nil && p.opts.Distributor == "" {
			code := codeFromName(f.senderName)
			if code == "" && f.senderID != "" && len(f.senderID) <= 15 && !isDigits(f.senderID) {
				code = strings.ToUpper(lowerName(f.senderID))
			}
			if n.Confidence < 0.6 || n.Value == "CHANGE-ME" {
				if code != "" {
					p.prop.Proposed.Distributor = code
					if p.opts.Name == "" {
						p.prop.Proposed.Name = lowerName(code)
						if n := p.noteRef("name"); n != nil {
							n.Value = p.prop.Proposed.Name
						}
					}
					p.prop.Proposed.Source = lowerName(code)
					*n = Note{Setting: "distributor", Value: code, Confidence: 0.6, Why: "from the sender " + who}
				}
			} else {
				n.Why += "; the interchanges' sender is " + who
				if code != "" && code != n.Value {
					n.Alternatives = append(n.Alternatives, Alternative{code, "after the interchanges' sender"})
				}
			}
		}
	}
	if f.currency != "" {
		if n := p.noteRef("format"); n != nil {
			n.Why += "; the reports carry their currency (" + f.currency + "): no default needed"
		}
		return
	}
	p.note("defaults.currency", "", 0.3, "the reports carry no currency segment: lines take the base currency",
		Alternative{`"EUR"`, "if the distributor reports in euros"})
}

// noteRef is the note of a setting, to amend it.
func (p *proposer) noteRef(setting string) *Note {
	for i := range p.prop.Notes {
		if p.prop.Notes[i].Setting == setting {
			return &p.prop.Notes[i]
		}
	}
	return nil
}

// codeFromName is a distributor code from a company name: its first word of letters.
func codeFromName(name string) string {
	for _, w := range strings.Fields(name) {
		w = strings.ToUpper(lowerName(w))
		if len(w) >= 3 && !isDigits(w) {
			return w
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// x12Facts reads the sender from an X12 file's ISA and N1 segments.
func x12Facts(data []byte) ediFacts {
	var f ediFacts
	head := bytes.TrimLeft(data, " \t\r\n")
	sep, _, reason := edi.ParseISA(head[:min(len(head), edi.ISALength)])
	if reason != "" {
		return f
	}
	for _, seg := range bytes.Split(head, []byte{sep.Term}) {
		el := bytes.Split(bytes.TrimSpace(seg), []byte{sep.Elem})
		if len(el) == 0 {
			continue
		}
		at := func(i int) string {
			if i < len(el) {
				return strings.TrimSpace(edi.DecodeAuto(el[i]))
			}
			return ""
		}
		switch string(el[0]) {
		case "ISA":
			f.senderID = at(6)
		case "N1":
			if (at(1) == "DS" || at(1) == "SE" || at(1) == "SU") && f.senderName == "" {
				f.senderName = at(2)
			}
		case "CUR":
			if f.currency == "" {
				f.currency = at(2)
			}
		case "PTD":
			return f // the header is over
		}
	}
	return f
}

// edifactFacts reads the sender from an EDIFACT file's UNB and NAD segments.
func edifactFacts(data []byte) ediFacts {
	var f ediFacts
	head := bytes.TrimLeft(data, " \t\r\n")
	sep := edi.EDIFACTDefault
	if s, ok := edi.ParseUNA(head); ok && bytes.HasPrefix(head, []byte("UNA")) {
		sep = s
		head = head[edi.UNALength:]
	}
	for _, seg := range bytes.Split(head, []byte{sep.Term}) {
		el := bytes.Split(bytes.TrimSpace(seg), []byte{sep.Elem})
		if len(el) == 0 {
			continue
		}
		comp := func(i, j int) string {
			if i >= len(el) {
				return ""
			}
			c := bytes.Split(el[i], []byte{sep.Comp})
			if j >= len(c) {
				return ""
			}
			return strings.TrimSpace(edi.DecodeAuto(c[j]))
		}
		switch string(el[0]) {
		case "UNB":
			f.senderID = comp(2, 0)
		case "NAD":
			if q := comp(1, 0); (q == "FR" || q == "SE" || q == "SU") && f.senderName == "" && comp(2, 0) == f.senderID {
				f.senderName = comp(4, 0)
			}
		case "CUX":
			if f.currency == "" {
				f.currency = comp(1, 1)
			}
		case "LOC", "LIN":
			return f
		}
	}
	return f
}
