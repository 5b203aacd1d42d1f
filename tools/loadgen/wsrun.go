package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Phases of a run: connecting, warming up, measuring, done.
const (
	phaseConnect int32 = iota
	phaseWarmup
	phaseMeasure
	phaseDone
)

// How a measured window ended.
const (
	endedDuration    = "duration"
	endedAllGone     = "all_clients_gone"
	endedInterrupted = "interrupted"
)

// measureHook, when set (by tests), runs as the measured window opens.
var measureHook func()

// wsRun is one `loadgen ws` run: its clients and what they share.
type wsRun struct {
	cfg     *wsConfig
	up      *upgrader
	sample  uint64
	phase   atomic.Int32
	clients []*client
	shards  []*histogram

	connectWG, doneWG       sync.WaitGroup
	connected, failed, gone atomic.Int64
	allGone                 chan struct{}
	start, connectEnd       time.Time
}

func newWSRun(cfg *wsConfig) *wsRun {
	r := &wsRun{cfg: cfg, up: newUpgrader(cfg), sample: uint64(cfg.sample), allGone: make(chan struct{})}
	// A few clients per latency shard: atomic adds that rarely meet, memory that stays small.
	nShards := min(cfg.clients, 64)
	r.shards = make([]*histogram, nShards)
	for i := range r.shards {
		r.shards[i] = newHistogram()
	}
	r.clients = make([]*client, cfg.clients)
	for i := range r.clients {
		r.clients[i] = &client{idx: i, r: r, hist: r.shards[i%nShards]}
	}
	return r
}

// clientGone is called once per client whose goroutine ended or never started.
func (r *wsRun) clientGone() {
	if r.gone.Add(1) == int64(len(r.clients)) {
		close(r.allGone)
	}
}

func runWS(cfg *wsConfig, stdout, stderr io.Writer) int {
	r := newWSRun(cfg)
	sig, stopSig := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSig()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	r.connectWG.Add(len(r.clients))
	r.doneWG.Add(len(r.clients))
	r.start = time.Now()
	go r.launch(ctx)
	stopProgress := r.progress(stderr)

	ended := r.connectPhase(sig)
	if ended == "" && cfg.warmup > 0 {
		r.phase.Store(phaseWarmup)
		ended = r.sleep(sig, cfg.warmup)
	}
	r.phase.Store(phaseMeasure)
	m0, cpu0 := r.counts(), markCPU()
	if measureHook != nil {
		measureHook()
	}
	if ended == "" {
		ended = r.sleep(sig, cfg.duration)
	}
	m1, cpu1 := r.counts(), markCPU()
	r.phase.Store(phaseDone)

	cancel()
	for _, c := range r.clients {
		c.stop()
	}
	r.doneWG.Wait()
	stopProgress()

	rep := r.report(m0, m1, cpuBetween(cpu0, cpu1), ended)
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		fmt.Fprintf(stderr, "loadgen ws: writing the report: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// launch starts the clients, paced by --connect-rate; once ctx ends, the rest never start.
func (r *wsRun) launch(ctx context.Context) {
	rate := r.cfg.connectRate
	for i, c := range r.clients {
		if rate > 0 {
			due := r.start.Add(time.Duration(float64(i) / rate * float64(time.Second)))
			if d := time.Until(due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
				}
			}
		}
		if ctx.Err() != nil {
			for range r.clients[i:] {
				r.connectWG.Done()
				r.doneWG.Done()
				r.clientGone()
			}
			return
		}
		go func(c *client) {
			defer r.doneWG.Done()
			c.run(ctx)
		}(c)
	}
}

// connectPhase waits until every client has upgraded or failed; "" unless interrupted.
func (r *wsRun) connectPhase(sig context.Context) string {
	done := make(chan struct{})
	go func() {
		r.connectWG.Wait()
		close(done)
	}()
	defer func() { r.connectEnd = time.Now() }()
	select {
	case <-done:
		return ""
	case <-sig.Done():
		return endedInterrupted
	}
}

// sleep waits d unless interrupted or every client is gone; returns how it ended.
func (r *wsRun) sleep(sig context.Context, d time.Duration) string {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return ""
	case <-sig.Done():
		return endedInterrupted
	case <-r.allGone:
		return endedAllGone
	}
}

// counts is every client's counters at one instant.
type counts struct {
	at                time.Time
	msgs, bytes, wire []int64
}

func (r *wsRun) counts() counts {
	n := len(r.clients)
	m := counts{at: time.Now(), msgs: make([]int64, n), bytes: make([]int64, n), wire: make([]int64, n)}
	for i, c := range r.clients {
		m.msgs[i], m.bytes[i], m.wire[i] = c.msgs.Load(), c.bytes.Load(), c.wire.Load()
	}
	return m
}

// progress prints a line on stderr every --progress; the returned func stops it.
func (r *wsRun) progress(stderr io.Writer) func() {
	if r.cfg.progress <= 0 {
		return func() {}
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(r.cfg.progress)
		defer t.Stop()
		var lastMsgs, lastBytes int64
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				var msgs, bytes int64
				for _, c := range r.clients {
					msgs += c.msgs.Load()
					bytes += c.bytes.Load()
				}
				dt := now.Sub(last).Seconds()
				fmt.Fprintf(stderr, "loadgen: %5.1fs %-7s connected %d/%d failed %d gone %d | %.0f msg/s %.1f MB/s\n",
					now.Sub(r.start).Seconds(), phaseName(r.phase.Load()), r.connected.Load(), len(r.clients),
					r.failed.Load(), r.gone.Load(), float64(msgs-lastMsgs)/dt, float64(bytes-lastBytes)/dt/1e6)
				lastMsgs, lastBytes, last = msgs, bytes, now
			}
		}
	}()
	return func() {
		close(stop)
		<-done
	}
}

func phaseName(p int32) string {
	return [...]string{"connect", "warmup", "measure", "done"}[p]
}
