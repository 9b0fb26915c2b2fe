package store

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// shards spreads the visited set over independent locks so that workers
// adding links from different pages rarely contend.
const shards = 64

// Memory is a Visited set held in memory. It keeps a 64-bit fingerprint
// of each key rather than the key itself, which costs about 10-20 bytes
// per key instead of the key's length plus overhead. Two distinct keys
// share a fingerprint with probability about n²/2⁶⁵: for a crawl of ten
// million URLs, about 3 in a million. The URL that loses is then not
// fetched.
//
// Memory is safe for concurrent use. The zero value is not usable; call
// NewMemory.
type Memory struct {
	seed   maphash.Seed
	n      atomic.Int64
	shards [shards]memShard
}

type memShard struct {
	mu  sync.Mutex
	set map[uint64]struct{}
	_   [40]byte // keep shards on separate cache lines
}

var _ Visited = (*Memory)(nil)

// NewMemory returns an empty in-memory visited set.
func NewMemory() *Memory {
	m := &Memory{seed: maphash.MakeSeed()}
	for i := range m.shards {
		m.shards[i].set = make(map[uint64]struct{})
	}
	return m
}

// Add implements Visited.
func (m *Memory) Add(ctx context.Context, keys []string, isNew []bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	added := 0
	for i, k := range keys {
		h := maphash.String(m.seed, k)
		s := &m.shards[h%shards]
		s.mu.Lock()
		_, seen := s.set[h]
		if !seen {
			s.set[h] = struct{}{}
		}
		s.mu.Unlock()
		isNew[i] = !seen
		if !seen {
			added++
		}
	}
	m.n.Add(int64(added))
	return nil
}

// Len implements Visited.
func (m *Memory) Len() int { return int(m.n.Load()) }

// MemoryRobots is a RobotsStore in memory. It is safe for concurrent use.
type MemoryRobots struct {
	m sync.Map // host -> Robots
}

var _ RobotsStore = (*MemoryRobots)(nil)

// LoadRobots implements RobotsStore.
func (m *MemoryRobots) LoadRobots(_ context.Context, host string) (Robots, bool, error) {
	v, ok := m.m.Load(host)
	if !ok {
		return Robots{}, false, nil
	}
	return v.(Robots), true, nil
}

// SaveRobots implements RobotsStore.
func (m *MemoryRobots) SaveRobots(_ context.Context, host string, r Robots) error {
	r.Body = append([]byte(nil), r.Body...)
	m.m.Store(host, r)
	return nil
}
