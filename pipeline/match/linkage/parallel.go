package linkage

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// parallelFor calls fn(worker, i) for every i in [0, n) on workers goroutines
// (GOMAXPROCS when workers ≤ 0); worker is in [0, workers), so that fn can keep
// scratch space per worker. Indexes are handed out in chunks; the order of calls is
// not defined, so fn must write only to slots of its own i.
func parallelFor(n, workers int, fn func(worker, i int)) {
	_ = parallelForContext(context.Background(), n, workers, fn)
}

// parallelForContext is parallelFor stopping early, with ctx's error, once ctx is done.
func parallelForContext(ctx context.Context, n, workers int, fn func(worker, i int)) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	const chunk = 32
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(worker int) {
			defer wg.Done()
			for ctx.Err() == nil {
				start := int(next.Add(chunk)) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					fn(worker, i)
				}
			}
		}(w)
	}
	wg.Wait()
	return ctx.Err()
}
