package pebblestore

import (
	"encoding/binary"
	"strconv"
)

// The key layout. Every key starts with a one-letter space and a slash:
//
//	m/version          format version (uvarint)
//	m/run              the current run id (uvarint)
//	m/runs/<id:8>      a run's start, end and counts (runRecord)
//	m/settings         the last run's settings (JSON from the caller)
//	m/keys             how many u/ and k/ keys exist (uvarint)
//	u/<url>            a URL's record (urlRecord), keyed by the URL
//	k/<key>            the record of an item with an explicit Item.Key
//	q/<host>\x00<seq:8> a queued item (item encoding), per host in seq order
//	h/<host>           a known host: its Crawl-delay (uvarint ns)
//	r/<host>           a host's robots.txt (robots encoding)
//
// <id:8> and <seq:8> are big-endian so that keys sort numerically. Host
// keys (scheme://authority) never hold a NUL byte, so q/<host>\x00 is a
// prefix of that host's entries only.
const formatVersion = 1

var (
	keyVersion  = []byte("m/version")
	keyRun      = []byte("m/run")
	keySettings = []byte("m/settings")
	keyCount    = []byte("m/keys")
	prefixRuns  = []byte("m/runs/")
	prefixURL   = []byte("u/")
	prefixKey   = []byte("k/")
	prefixQueue = []byte("q/")
	prefixHost  = []byte("h/")
	prefixRobot = []byte("r/")
)

// Queue seqs: items pushed to the back take seqs from midSeq upwards,
// items pushed to the front take seqs below everything queued, going
// down, so that one ordered scan of q/<host>\x00 yields the queue.
const midSeq = 1 << 63

func join(prefix []byte, s string) []byte {
	k := make([]byte, 0, len(prefix)+len(s))
	return append(append(k, prefix...), s...)
}

func recordKey(key string, explicit bool) []byte {
	if explicit {
		return join(prefixKey, key)
	}
	return join(prefixURL, key)
}

func runKey(id uint64) []byte {
	return binary.BigEndian.AppendUint64(join(prefixRuns, ""), id)
}

// queuePrefix is q/<host>\x00, the lower bound of host's entries.
func queuePrefix(host string) []byte {
	return append(join(prefixQueue, host), 0)
}

// queueEnd is the upper bound of host's entries.
func queueEnd(host string) []byte {
	return append(join(prefixQueue, host), 1)
}

func queueKey(host string, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(queuePrefix(host), seq)
}

// parseQueueKey splits q/<host>\x00<seq> into host and seq.
func parseQueueKey(k []byte) (host string, seq uint64, ok bool) {
	n := len(k) - 9
	if n < len(prefixQueue) || k[n] != 0 {
		return "", 0, false
	}
	return string(k[len(prefixQueue):n]), binary.BigEndian.Uint64(k[n+1:]), true
}

// prefixEnd is the smallest key greater than every key with prefix p.
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	end[len(end)-1]++ // prefixes end in '/', never 0xff
	return end
}

func uint64FromKey(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// quote shows a key in an error message.
func quote(k []byte) string { return strconv.Quote(string(k)) }
