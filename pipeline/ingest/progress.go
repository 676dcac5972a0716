package ingest

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

// bar is a one-line progress display on stderr, drawn only when stderr is a terminal
// (Ingest.Progress); otherwise the structured logs tell the story.
type bar struct {
	mu    sync.Mutex
	on    bool
	label string
	total int64
	start time.Time
	last  time.Time
}

func (in *Ingest) progress(label string, total int64) *bar {
	return &bar{on: in.Progress && total > 0, label: label, total: total, start: time.Now()}
}

// Set reports done bytes out of the total.
func (b *bar) Set(done int64) {
	if !b.on {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.last) < 200*time.Millisecond && done < b.total {
		return
	}
	b.last = time.Now()
	done = min(done, b.total) // decompressed bytes of a .gz can outrun the file size
	pct := float64(done) / float64(b.total) * 100
	width := 30
	filled := int(pct / 100 * float64(width))
	if filled > width {
		filled = width
	}
	mb := float64(done) / (1 << 20)
	rate := mb / time.Since(b.start).Seconds()
	fmt.Fprintf(os.Stderr, "\r%-5s [%-*s] %5.1f%%  %.1f MB  %.1f MB/s ", b.label, width, strings.Repeat("#", filled), pct, mb, rate)
}

// Done ends the line.
func (b *bar) Done() {
	if b.on {
		fmt.Fprintln(os.Stderr)
	}
}
