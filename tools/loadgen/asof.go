package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
)

// Reading a frame's event time (`asOf`, epoch ms) from a gateway message without decoding it:
// a JSON text message `{"type":"update","channel":"ticks:X","seq":..,"ts":..,"asOf":..,
// "inputSeq":..,"data":{..}}` (gateways/protocol.ts, docs/architecture.md), or the same map in
// MessagePack on a `riskline.msgpack` connection. Only the top level counts (a risk frame's data
// has its own asOf); a top-level array is a batch and yields each element's asOf.

var asOfKey = []byte("asOf")

// appendAsOfs appends the asOf of each frame in msg; nothing for messages without one.
func appendAsOfs(dst []float64, msg []byte, binaryFrame bool) []float64 {
	i := skipSpace(msg, 0)
	if i >= len(msg) {
		return dst
	}
	if c := msg[i]; c == '{' || c == '[' {
		return jsonAsOfs(dst, msg, i)
	}
	if binaryFrame {
		return msgpackAsOfs(dst, msg)
	}
	return dst
}

// ---- JSON ----------------------------------------------------------------------------------

func jsonAsOfs(dst []float64, b []byte, i int) []float64 {
	if b[i] == '{' {
		if v, ok := topLevelAsOfFast(b, i); ok {
			return append(dst, v)
		}
		if v, ok, _ := jsonObjectAsOf(b, i, false); ok {
			dst = append(dst, v)
		}
		return dst
	}
	i++ // inside the top-level array
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == ']' {
			return dst
		}
		var end int
		if b[i] == '{' {
			var v float64
			var ok bool
			if v, ok, end = jsonObjectAsOf(b, i, true); ok {
				dst = append(dst, v)
			}
		} else {
			end = skipJSONValue(b, i)
		}
		if end < 0 {
			return dst
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return dst
		}
		i++
	}
}

var asOfToken = []byte(`"asOf":`)

// topLevelAsOfFast finds `"asOf":` with bytes.Index and takes it when what precedes it proves it a
// key of the top-level object: no nesting, no escapes, and an even number of quotes before it.
// The gateway writes asOf before data, so this is the common case; otherwise the scan below.
func topLevelAsOfFast(b []byte, open int) (float64, bool) {
	k := bytes.Index(b, asOfToken)
	if k < 0 {
		return 0, false
	}
	prefix := b[open+1 : k]
	if bytes.IndexByte(prefix, '{') >= 0 || bytes.IndexByte(prefix, '[') >= 0 ||
		bytes.IndexByte(prefix, '\\') >= 0 || bytes.Count(prefix, asOfToken[:1])%2 != 0 {
		return 0, false
	}
	return parseJSONNumber(b[skipSpace(b, k+len(asOfToken)):])
}

// jsonObjectAsOf reads the object at b[i] ('{') for its own asOf key. With needEnd it goes on to
// the object's end and returns the index after it; without, it stops at the key. end < 0: malformed.
func jsonObjectAsOf(b []byte, i int, needEnd bool) (v float64, found bool, end int) {
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return v, found, -1
		}
		if b[i] == '}' {
			return v, found, i + 1
		}
		if b[i] != '"' {
			return v, found, -1
		}
		ke := stringEnd(b, i+1)
		if ke < 0 {
			return v, found, -1
		}
		isAsOf := bytes.Equal(b[i+1:ke], asOfKey)
		i = skipSpace(b, ke+1)
		if i >= len(b) || b[i] != ':' {
			return v, found, -1
		}
		i = skipSpace(b, i+1)
		if isAsOf && !found {
			if v, found = parseJSONNumber(b[i:]); found && !needEnd {
				return v, true, i
			}
		}
		if i = skipJSONValue(b, i); i < 0 {
			return v, found, -1
		}
		i = skipSpace(b, i)
		if i >= len(b) {
			return v, found, -1
		}
		switch b[i] {
		case ',':
			i++
		case '}':
			return v, found, i + 1
		default:
			return v, found, -1
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// stringEnd is the index of the quote that closes the string starting at b[from], or -1.
func stringEnd(b []byte, from int) int {
	for {
		j := bytes.IndexByte(b[from:], '"')
		if j < 0 {
			return -1
		}
		q := from + j
		back := 0
		for k := q - 1; k >= from && b[k] == '\\'; k-- {
			back++
		}
		if back%2 == 0 {
			return q
		}
		from = q + 1
	}
}

// skipJSONValue returns the index after the value at b[i], or -1.
func skipJSONValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		e := stringEnd(b, i+1)
		if e < 0 {
			return -1
		}
		return e + 1
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				e := stringEnd(b, i+1)
				if e < 0 {
					return -1
				}
				i = e
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	default:
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\n', '\r', '\t':
				return i
			}
			i++
		}
		return i
	}
}

// parseJSONNumber reads the number at the start of b: digits with an optional fraction by hand
// (epoch ms, the common case), anything with an exponent through strconv.
func parseJSONNumber(b []byte) (float64, bool) {
	i, neg := 0, false
	if i < len(b) && b[i] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, fracDigits := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		mant = mant*10 + uint64(b[i]-'0')
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			mant = mant*10 + uint64(b[i]-'0')
			digits++
			fracDigits++
		}
		if fracDigits == 0 {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') || digits > 18 {
		for i < len(b) && strings.IndexByte("0123456789.eE+-", b[i]) >= 0 {
			i++
		}
		v, err := strconv.ParseFloat(string(b[:i]), 64)
		return v, err == nil
	}
	v := float64(mant)
	if fracDigits > 0 {
		v /= math.Pow10(fracDigits)
	}
	if neg {
		v = -v
	}
	return v, true
}

// ---- MessagePack ---------------------------------------------------------------------------

func msgpackAsOfs(dst []float64, b []byte) []float64 {
	n, i, kind := mpContainer(b, 0)
	switch kind {
	case 'm':
		if v, ok, _ := mpMapAsOf(b, i, n, false); ok {
			dst = append(dst, v)
		}
	case 'a':
		for k := 0; k < n && i >= 0; k++ {
			m, j, elem := mpContainer(b, i)
			if elem == 'm' {
				var v float64
				var ok bool
				if v, ok, i = mpMapAsOf(b, j, m, true); ok {
					dst = append(dst, v)
				}
			} else {
				i = mpSkip(b, i)
			}
		}
	}
	return dst
}

// mpContainer reads a map ('m') or array ('a') header at b[i]: its entry count and where they start.
func mpContainer(b []byte, i int) (n, start int, kind byte) {
	if i < 0 || i >= len(b) {
		return 0, -1, 0
	}
	c := b[i]
	switch {
	case c >= 0x80 && c <= 0x8f:
		return int(c & 0x0f), i + 1, 'm'
	case c >= 0x90 && c <= 0x9f:
		return int(c & 0x0f), i + 1, 'a'
	case c == 0xde && i+3 <= len(b):
		return int(binary.BigEndian.Uint16(b[i+1:])), i + 3, 'm'
	case c == 0xdf && i+5 <= len(b):
		return int(binary.BigEndian.Uint32(b[i+1:])), i + 5, 'm'
	case c == 0xdc && i+3 <= len(b):
		return int(binary.BigEndian.Uint16(b[i+1:])), i + 3, 'a'
	case c == 0xdd && i+5 <= len(b):
		return int(binary.BigEndian.Uint32(b[i+1:])), i + 5, 'a'
	}
	return 0, -1, 0
}

// mpMapAsOf reads n key/value pairs from b[i] for the key asOf; with needEnd it returns the index
// after the map, else it may stop at the key. end < 0: malformed.
func mpMapAsOf(b []byte, i, n int, needEnd bool) (v float64, found bool, end int) {
	for k := 0; k < n; k++ {
		ks, ke := mpString(b, i)
		if ks < 0 {
			// A non-string key: skip key and value.
			if i = mpSkip(b, i); i < 0 {
				return v, found, -1
			}
		} else {
			i = ke
			if !found && bytes.Equal(b[ks:ke], asOfKey) {
				if v, found = mpNumber(b, i); found && !needEnd {
					return v, true, i
				}
			}
		}
		if i = mpSkip(b, i); i < 0 {
			return v, found, -1
		}
	}
	return v, found, i
}

// mpString is the byte range of the str at b[i], or (-1, -1).
func mpString(b []byte, i int) (int, int) {
	if i >= len(b) {
		return -1, -1
	}
	c := b[i]
	var s, n int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		s, n = i+1, int(c&0x1f)
	case c == 0xd9 && i+2 <= len(b):
		s, n = i+2, int(b[i+1])
	case c == 0xda && i+3 <= len(b):
		s, n = i+3, int(binary.BigEndian.Uint16(b[i+1:]))
	case c == 0xdb && i+5 <= len(b):
		s, n = i+5, int(binary.BigEndian.Uint32(b[i+1:]))
	default:
		return -1, -1
	}
	if s+n > len(b) {
		return -1, -1
	}
	return s, s + n
}

// mpNumSize is the payload size of MessagePack int/float types by first byte (0: not one).
var mpNumSize = [256]uint8{0xca: 4, 0xcb: 8, 0xcc: 1, 0xcd: 2, 0xce: 4, 0xcf: 8, 0xd0: 1, 0xd1: 2, 0xd2: 4, 0xd3: 8}

// mpLenWidth is the width of the length field of str/bin/ext/array/map types by first byte.
var mpLenWidth = [256]uint8{
	0xc4: 1, 0xc5: 2, 0xc6: 4, 0xc7: 1, 0xc8: 2, 0xc9: 4, 0xd9: 1, 0xda: 2, 0xdb: 4, 0xdc: 2, 0xdd: 4, 0xde: 2, 0xdf: 4,
}

// mpNumber reads any MessagePack int or float at b[i].
func mpNumber(b []byte, i int) (float64, bool) {
	if i >= len(b) {
		return 0, false
	}
	c := b[i]
	switch {
	case c <= 0x7f:
		return float64(c), true
	case c >= 0xe0:
		return float64(int8(c)), true
	}
	size := int(mpNumSize[c])
	if size == 0 || i+1+size > len(b) {
		return 0, false
	}
	p := b[i+1 : i+1+size]
	switch c {
	case 0xca:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(p))), true
	case 0xcb:
		return math.Float64frombits(binary.BigEndian.Uint64(p)), true
	case 0xcc:
		return float64(p[0]), true
	case 0xcd:
		return float64(binary.BigEndian.Uint16(p)), true
	case 0xce:
		return float64(binary.BigEndian.Uint32(p)), true
	case 0xcf:
		return float64(binary.BigEndian.Uint64(p)), true
	case 0xd0:
		return float64(int8(p[0])), true
	case 0xd1:
		return float64(int16(binary.BigEndian.Uint16(p))), true
	case 0xd2:
		return float64(int32(binary.BigEndian.Uint32(p))), true
	default:
		return float64(int64(binary.BigEndian.Uint64(p))), true
	}
}

// mpFixed is the total size of fixed-width MessagePack values by first byte (0: not fixed).
var mpFixed = [256]uint8{
	0xc0: 1, 0xc2: 1, 0xc3: 1, 0xca: 5, 0xcb: 9, 0xcc: 2, 0xcd: 3, 0xce: 5, 0xcf: 9,
	0xd0: 2, 0xd1: 3, 0xd2: 5, 0xd3: 9, 0xd4: 3, 0xd5: 4, 0xd6: 6, 0xd7: 10, 0xd8: 18,
}

// mpSkip returns the index after the value at b[i] (nested values included), or -1.
func mpSkip(b []byte, i int) int {
	pending := 1
	for pending > 0 {
		if i < 0 || i >= len(b) {
			return -1
		}
		pending--
		c := b[i]
		switch {
		case c <= 0x7f || c >= 0xe0:
			i++
		case c <= 0x8f:
			pending += 2 * int(c&0x0f)
			i++
		case c <= 0x9f:
			pending += int(c & 0x0f)
			i++
		case c <= 0xbf:
			i += 1 + int(c&0x1f)
		case mpFixed[c] != 0:
			i += int(mpFixed[c])
		default:
			var step int
			if i, step = mpVariable(b, i); i < 0 {
				return -1
			}
			pending += step
		}
	}
	if i > len(b) {
		return -1
	}
	return i
}

// mpVariable skips a length-prefixed value (str, bin, ext) or opens an array/map header, returning
// the next index and the entries the header adds; -1 when truncated or unknown.
func mpVariable(b []byte, i int) (int, int) {
	c := b[i]
	width := int(mpLenWidth[c])
	if width == 0 || i+1+width > len(b) {
		return -1, 0
	}
	var n int
	switch width {
	case 1:
		n = int(b[i+1])
	case 2:
		n = int(binary.BigEndian.Uint16(b[i+1:]))
	default:
		n = int(binary.BigEndian.Uint32(b[i+1:]))
	}
	next := i + 1 + width
	switch c {
	case 0xdc, 0xdd:
		return next, n
	case 0xde, 0xdf:
		return next, 2 * n
	case 0xc7, 0xc8, 0xc9:
		return next + 1 + n, 0 // ext: a type byte, then the data
	default:
		return next + n, 0
	}
}
