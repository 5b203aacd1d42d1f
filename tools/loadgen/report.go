package main

import (
	"errors"
	"io"
	"net"
	"sort"
	"strconv"
	"time"
)

// The JSON report of `loadgen ws`; README.md documents every field.
type wsReport struct {
	Mode              string                 `json:"mode"`
	URL               string                 `json:"url"`
	Clients           int                    `json:"clients"`
	Protocol          string                 `json:"protocol"`
	Sample            int                    `json:"sample"`
	WarmupS           float64                `json:"warmup_s"`
	DurationS         float64                `json:"duration_s"`
	WindowS           float64                `json:"window_s"`
	Ended             string                 `json:"ended"`
	NoFileLimit       uint64                 `json:"nofile_limit"`
	Connect           connectReport          `json:"connect"`
	Messages          int64                  `json:"messages"`
	Bytes             int64                  `json:"bytes"`
	WireBytes         int64                  `json:"wire_bytes"`
	MessagesPerS      float64                `json:"messages_per_s"`
	BytesPerS         float64                `json:"bytes_per_s"`
	PerClientMessages *summary               `json:"per_client_messages"`
	PerClientBytes    *summary               `json:"per_client_bytes"`
	Latency           latencyReport          `json:"latency_ms"`
	PingsAnswered     int64                  `json:"pings_answered"`
	Closes            map[string]closeReport `json:"closes"`
	Lost              lostReport             `json:"lost"`
	CPU               cpuReport              `json:"cpu"`
}

type connectReport struct {
	Attempted      int            `json:"attempted"`
	Connected      int            `json:"connected"`
	Failed         int            `json:"failed"`
	Errors         map[string]int `json:"errors"`
	Protocols      map[string]int `json:"protocols"`
	UpgradeMs      *summary       `json:"upgrade_ms"`
	FirstMessageMs *summary       `json:"first_message_ms"`
	FirstDataMs    *summary       `json:"first_data_ms"`
	WithoutData    int            `json:"without_data"`
	AllConnectedMs *float64       `json:"all_connected_ms"`
	AllFirstDataMs *float64       `json:"all_first_data_ms"`
}

// summary of per-client values; p50/p99 are nearest-rank over the exact values.
type summary struct {
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

type latencyReport struct {
	Samples  uint64   `json:"samples"`
	Negative uint64   `json:"negative"`
	Min      *float64 `json:"min"`
	Mean     *float64 `json:"mean"`
	P50      *float64 `json:"p50"`
	P90      *float64 `json:"p90"`
	P99      *float64 `json:"p99"`
	P999     *float64 `json:"p999"`
	Max      *float64 `json:"max"`
}

type closeReport struct {
	Count  int    `json:"count"`
	Reason string `json:"reason"`
}

type lostReport struct {
	Count  int            `json:"count"`
	Errors map[string]int `json:"errors"`
}

// maxErrorKinds bounds the distinct error messages kept; the rest count under "other".
const maxErrorKinds = 20

func (r *wsRun) report(m0, m1 counts, cpu cpuReport, ended string) wsReport {
	cfg := r.cfg
	window := m1.at.Sub(m0.at).Seconds()
	if ended == "" {
		ended = endedDuration
	}
	rep := wsReport{
		Mode: "ws", URL: cfg.url.String(), Clients: cfg.clients, Protocol: cfg.protocol, Sample: cfg.sample,
		WarmupS: cfg.warmup.Seconds(), DurationS: cfg.duration.Seconds(), WindowS: window, Ended: ended,
		NoFileLimit: noFileLimit(), Closes: map[string]closeReport{}, CPU: cpu,
		Lost: lostReport{Errors: map[string]int{}},
	}
	rep.Connect = r.connectReport()
	var perMsgs, perBytes []float64
	for i, c := range r.clients {
		rep.PingsAnswered += c.pings.Load()
		if c.upgraded.IsZero() || c.connectErr != nil {
			continue
		}
		dm, db := m1.msgs[i]-m0.msgs[i], m1.bytes[i]-m0.bytes[i]
		rep.Messages += dm
		rep.Bytes += db
		rep.WireBytes += m1.wire[i] - m0.wire[i]
		perMsgs = append(perMsgs, float64(dm))
		perBytes = append(perBytes, float64(db))
		if c.closed != nil {
			k := strconv.Itoa(c.closed.code)
			cr := rep.Closes[k]
			if cr.Count == 0 {
				cr.Reason = c.closed.reason
			}
			cr.Count++
			rep.Closes[k] = cr
		} else if c.lostErr != nil {
			rep.Lost.Count++
			countError(rep.Lost.Errors, c.lostErr)
		}
	}
	if window > 0 {
		rep.MessagesPerS = float64(rep.Messages) / window
		rep.BytesPerS = float64(rep.Bytes) / window
	}
	rep.PerClientMessages = summarize(perMsgs)
	rep.PerClientBytes = summarize(perBytes)
	rep.Latency = r.latencyReport()
	return rep
}

func (r *wsRun) connectReport() connectReport {
	cr := connectReport{Errors: map[string]int{}, Protocols: map[string]int{}}
	var upgrade, firstMsg, firstData []float64
	var lastUp, lastData time.Time
	for _, c := range r.clients {
		if c.dialStart.IsZero() {
			continue // never started: the run was interrupted first
		}
		cr.Attempted++
		if c.connectErr != nil {
			cr.Failed++
			countError(cr.Errors, c.connectErr)
			continue
		}
		cr.Connected++
		proto := c.protocol
		if proto == "" {
			proto = "none"
		}
		cr.Protocols[proto]++
		upgrade = append(upgrade, ms(c.upgraded.Sub(c.dialStart)))
		lastUp = later(lastUp, c.upgraded)
		if !c.firstMsg.IsZero() {
			firstMsg = append(firstMsg, ms(c.firstMsg.Sub(c.dialStart)))
		}
		if c.firstData.IsZero() {
			cr.WithoutData++
			continue
		}
		firstData = append(firstData, ms(c.firstData.Sub(c.dialStart)))
		lastData = later(lastData, c.firstData)
	}
	cr.UpgradeMs, cr.FirstMessageMs, cr.FirstDataMs = summarize(upgrade), summarize(firstMsg), summarize(firstData)
	if cr.Connected > 0 {
		cr.AllConnectedMs = ptr(ms(lastUp.Sub(r.start)))
		if cr.WithoutData == 0 {
			cr.AllFirstDataMs = ptr(ms(lastData.Sub(r.start)))
		}
	}
	return cr
}

func (r *wsRun) latencyReport() latencyReport {
	h := newHistogram()
	for _, s := range r.shards {
		h.add(s)
	}
	var lr latencyReport
	var sum, lo, hi float64
	for _, c := range r.clients {
		l := c.lat
		if l.count == 0 {
			continue
		}
		if lr.Samples == 0 || l.min < lo {
			lo = l.min
		}
		if lr.Samples == 0 || l.max > hi {
			hi = l.max
		}
		lr.Samples += l.count
		lr.Negative += l.negative
		sum += l.sum
	}
	if lr.Samples == 0 {
		return lr
	}
	q := func(p float64) *float64 { return ptr(h.quantile(p) / 1000) }
	lr.Min, lr.Max, lr.Mean = ptr(lo), ptr(hi), ptr(sum/float64(lr.Samples))
	lr.P50, lr.P90, lr.P99, lr.P999 = q(0.5), q(0.9), q(0.99), q(0.999)
	return lr
}

func summarize(v []float64) *summary {
	if len(v) == 0 {
		return nil
	}
	sort.Float64s(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	rank := func(p float64) float64 {
		k := int(p*float64(len(v))+0.999999) - 1
		return v[max(0, min(k, len(v)-1))]
	}
	return &summary{Min: v[0], P50: rank(0.5), P99: rank(0.99), Max: v[len(v)-1], Mean: sum / float64(len(v))}
}

// errorKey names an error without what varies per connection (ports, addresses).
func errorKey(err error) string {
	var he *handshakeError
	var pe *protocolError
	var oe *net.OpError
	var ne net.Error
	switch {
	case errors.As(err, &he):
		return he.msg
	case errors.As(err, &pe):
		return pe.Error()
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed without a close frame"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &oe):
		return oe.Op + ": " + oe.Err.Error()
	}
	return err.Error()
}

func countError(m map[string]int, err error) {
	k := errorKey(err)
	if _, ok := m[k]; !ok && len(m) >= maxErrorKinds {
		k = "other"
	}
	m[k]++
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func ptr(v float64) *float64 { return &v }
