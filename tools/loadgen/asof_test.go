package main

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
)

func TestAsOfFromJSONFrames(t *testing.T) {
	cases := []struct {
		name string
		msg  string
		want []float64
	}{
		{"gateway update", `{"type":"update","channel":"ticks:AAPL","seq":2,"ts":1795617000250,"asOf":1795617000250,"inputSeq":9,"data":{"bid":1}}`, []float64{1795617000250}},
		{"float asOf", `{"type":"update","asOf":1795617000250.125}`, []float64{1795617000250.125}},
		{"exponent", `{"asOf":1.7956170002501e12}`, []float64{1795617000250.1}},
		{"negative", `{"asOf":-12.5}`, []float64{-12.5}},
		{"nested asOf first is not the frame's", `{"type":"update","data":{"asOf":1,"x":[{"asOf":2}]},"asOf":3}`, []float64{3}},
		{"asOf inside a string value", `{"note":"\"asOf\":5","asOf":6}`, []float64{6}},
		{"escaped quote before key", `{"a":"x\\","asOf":7}`, []float64{7}},
		{"spaces", " { \"asOf\" :\t8 , \"b\":1}", []float64{8}},
		{"batch", `[{"type":"update","data":{"asOf":1},"asOf":10},{"asOf":11,"data":[1,2,{"asOf":3}]},5,"s",{"noAsOf":1},{"asOf":12}]`, []float64{10, 11, 12}},
		{"no asOf", `{"type":"subscribed","id":1,"channels":["ticks:AAPL"]}`, nil},
		{"asOf not a number", `{"asOf":"soon"}`, nil},
		{"not JSON", `hello`, nil},
		{"truncated", `{"type":"upd`, nil},
		{"empty", ``, nil},
		{"truncated batch keeps what it read", `[{"asOf":1},{"asOf":2},{"as`, []float64{1, 2}},
	}
	for _, c := range cases {
		got := appendAsOfs(nil, []byte(c.msg), false)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestAsOfFromMessagePackFrames(t *testing.T) {
	f64 := func(v float64) []byte { return binary.BigEndian.AppendUint64([]byte{0xcb}, math.Float64bits(v)) }
	key := func(s string) []byte { return append([]byte{0xa0 | byte(len(s))}, s...) }
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	frame := func(asOf []byte) []byte {
		// {"type":"update","data":{"asOf":1,"l":[1,"x",{}]},"asOf":asOf} with a map16 header on the data.
		data := cat([]byte{0xde, 0, 2}, key("asOf"), []byte{0x01}, key("l"), []byte{0x93, 0x01, 0xa1, 'x', 0x80})
		return cat([]byte{0x83}, key("type"), key("update"), key("data"), data, key("asOf"), asOf)
	}
	cases := []struct {
		name string
		msg  []byte
		want []float64
	}{
		{"float64", frame(f64(1795617000250.5)), []float64{1795617000250.5}},
		{"uint64", frame(binary.BigEndian.AppendUint64([]byte{0xcf}, 1795617000250)), []float64{1795617000250}},
		{"uint32", frame(binary.BigEndian.AppendUint32([]byte{0xce}, 4000000000)), []float64{4000000000}},
		{"int8", frame([]byte{0xd0, 0xfe}), []float64{-2}},
		{"fixint", frame([]byte{0x05}), []float64{5}},
		{"float32", frame(binary.BigEndian.AppendUint32([]byte{0xca}, math.Float32bits(1.5))), []float64{1.5}},
		{"batch array16", cat([]byte{0xdc, 0, 3}, frame(f64(1)), []byte{0xc0}, frame(f64(2))), []float64{1, 2}},
		{"str8 key and bin value skipped", cat([]byte{0x82, 0xd9, 3, 'b', 'i', 'n', 0xc4, 2, 9, 9}, key("asOf"), f64(3)), []float64{3}},
		{"ext skipped", cat([]byte{0x82, 0xa1, 'e', 0xd6, 1, 0, 0, 0, 0}, key("asOf"), f64(4)), []float64{4}},
		{"asOf a string", cat([]byte{0x81}, key("asOf"), key("now")), nil},
		{"truncated", frame(f64(1))[:20], nil},
		{"not a container", []byte{0xcb, 1, 2}, nil},
	}
	for _, c := range cases {
		got := appendAsOfs(nil, c.msg, true)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	// A binary frame that holds JSON is read as JSON; a text frame is never read as MessagePack.
	if got := appendAsOfs(nil, []byte(`{"asOf":9}`), true); !reflect.DeepEqual(got, []float64{9}) {
		t.Errorf("JSON in a binary frame: %v", got)
	}
	if got := appendAsOfs(nil, frame(f64(1)), false); got != nil {
		t.Errorf("MessagePack in a text frame: %v", got)
	}
}

func TestAsOfReadDoesNotAllocate(t *testing.T) {
	msg := []byte(`{"type":"update","channel":"ticks:AAPL","seq":2,"asOf":1795617000250.5,"data":{"bid":1}}`)
	batch := []byte(`[{"asOf":1,"data":{"x":"y"}},{"asOf":2}]`)
	dst := make([]float64, 0, 4)
	if n := testing.AllocsPerRun(100, func() {
		dst = appendAsOfs(dst[:0], msg, false)
		dst = appendAsOfs(dst[:0], batch, false)
	}); n != 0 {
		t.Errorf("%v allocations per read", n)
	}
}
