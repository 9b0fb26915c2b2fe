package pebblestore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2"

	"github.com/crawlhq/crawl/internal/clock"
	"github.com/crawlhq/crawl/internal/frontier"
	"github.com/crawlhq/crawl/internal/store"
)

// Options configure Open.
type Options struct {
	// CacheSize is the size of pebble's block cache; 0 means 16 MiB.
	CacheSize int64
	// RecrawlAfter is how old a URL's last fetch must be for the crawl to
	// fetch it again; 0 never fetches a known URL again.
	RecrawlAfter time.Duration
	// Clock tells the time URLs are judged stale by; nil is clock.Real.
	Clock clock.Clock
	// Settings is the crawl's settings as JSON, kept for Summarize.
	Settings []byte
	// Fsync makes every commit wait for the disk, so that a power loss
	// loses nothing a call returned for, at the cost of an fsync per Push
	// and Complete. Without it a commit survives the death of the process
	// (kill -9 included) but not of the machine: see the package doc.
	Fsync bool
}

// DB is a crawl's state in a directory: its visited set and records of
// URLs, its frontier's queues, hosts' robots.txt and Crawl-delay, and its
// runs. It is safe for concurrent use.
type DB struct {
	dir   string
	opts  Options
	clock clock.Clock
	lock  *os.File
	pdb   *pebble.DB
	run   uint64 // this run's id

	// life guards pdb against Close: every use holds it for reading.
	life   sync.RWMutex
	closed bool
	done   chan struct{} // closed by Close, to wake waiters in Next

	// wmu makes the check and the write of a key one step (Push, Add).
	wmu  sync.Mutex
	keys atomic.Int64 // u/ and k/ keys, as in m/keys

	front     *Frontier
	frontMade bool
}

var (
	_ store.Visited     = (*DB)(nil)
	_ store.RobotsStore = (*DB)(nil)
)

// storeDir is where pebble keeps its files inside a state directory.
func storeDir(dir string) string { return filepath.Join(dir, "store") }

func lockPath(dir string) string { return filepath.Join(dir, "crawl.lock") }

// Open opens the crawl state in dir, creating it if dir holds none, and
// starts a new run. It fails at once with ErrLocked while another DB has
// dir open, with ErrVersion when the state was written in another format
// and with ErrCorrupt when the store cannot be read; it never replaces a
// state it cannot read.
func Open(dir string, opts Options) (*DB, error) {
	if opts.CacheSize <= 0 {
		opts.CacheSize = 16 << 20
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("pebblestore: %w", err)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	db := &DB{dir: dir, opts: opts, clock: opts.Clock, lock: lock, done: make(chan struct{})}
	if err := db.open(); err != nil {
		db.shut()
		return nil, err
	}
	return db, nil
}

func (db *DB) open() error {
	pdb, err := openPebble(db.dir, db.opts.CacheSize, false, db.opts.Fsync)
	if err != nil {
		return err
	}
	db.pdb = pdb
	if err := db.checkVersion(); err != nil {
		return err
	}
	if err := db.startRun(); err != nil {
		return err
	}
	n, err := db.getUvarint(keyCount)
	if err != nil {
		return err
	}
	db.keys.Store(int64(n))
	db.front = newFrontier(db)
	return db.front.load()
}

// Close closes the store and gives up the lock. Leases not completed stay
// queued for the next run. Calls after Close fail with ErrClosed; a Next
// waiting on work returns ErrClosed.
func (db *DB) Close() error {
	db.life.Lock()
	defer db.life.Unlock()
	if db.closed {
		return ErrClosed
	}
	db.closed = true
	close(db.done)
	return db.shut()
}

// shut closes pebble and the lock, whichever are open.
func (db *DB) shut() error {
	var err error
	if db.pdb != nil {
		err = db.pdb.Close()
	}
	if db.lock != nil {
		err = errors.Join(err, db.lock.Close())
	}
	if err != nil {
		return fmt.Errorf("pebblestore: close %s: %w", db.dir, err)
	}
	return nil
}

// acquire holds db open for one use; release with db.life.RUnlock.
func (db *DB) acquire() error {
	db.life.RLock()
	if db.closed {
		db.life.RUnlock()
		return ErrClosed
	}
	return nil
}

// Dir is the state directory.
func (db *DB) Dir() string { return db.dir }

// Run is this run's id: 1 for the first run of a state directory.
func (db *DB) Run() uint64 { return db.run }

// Frontier returns the DB's frontier, set up with cfg's politeness
// (cfg.Clock defaults to Options.Clock); the items queued by earlier runs
// are in it. A DB has one frontier: a second call fails with
// ErrFrontierOpen.
func (db *DB) Frontier(cfg frontier.Config) (*Frontier, error) {
	if err := db.acquire(); err != nil {
		return nil, err
	}
	defer db.life.RUnlock()
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.frontMade {
		return nil, ErrFrontierOpen
	}
	db.frontMade = true
	db.front.configure(cfg)
	return db.front, nil
}

// Len reports how many distinct keys (URLs and other item keys) the
// state knows, from every run.
func (db *DB) Len() int { return int(db.keys.Load()) }

// Add implements store.Visited: it records the keys not known before as
// seen, under u/ like URLs, so that a Push of such a URL adds nothing.
func (db *DB) Add(ctx context.Context, keys []string, isNew []bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.acquire(); err != nil {
		return err
	}
	defer db.life.RUnlock()
	db.wmu.Lock()
	defer db.wmu.Unlock()
	b := db.pdb.NewBatch()
	defer b.Close()
	var batch map[string]bool
	added := 0
	for i, k := range keys {
		key := recordKey(k, false)
		_, found, err := db.getRecord(key, k)
		if err != nil {
			return err
		}
		isNew[i] = !found && !batch[k]
		if isNew[i] {
			if batch == nil {
				batch = make(map[string]bool, len(keys))
			}
			batch[k] = true
			rec := record{State: stateSeen, Run: db.run}
			b.Set(key, encodeRecord(k, &rec), nil)
			added++
		}
	}
	return db.commitKeys(b, added)
}

// commitKeys commits b, which adds n keys, without waiting for the disk.
// The caller holds wmu.
func (db *DB) commitKeys(b *pebble.Batch, n int) error {
	if n == 0 && b.Empty() {
		return nil
	}
	total := db.keys.Load() + int64(n)
	if n > 0 {
		b.Set(keyCount, uvarintValue(uint64(total)), nil)
	}
	if err := db.commit(b, pebble.Sync); err != nil {
		return err
	}
	db.keys.Store(total)
	return nil
}

func (db *DB) commit(b *pebble.Batch, o *pebble.WriteOptions) error {
	if err := b.Commit(o); err != nil {
		return fmt.Errorf("pebblestore: %s: write: %w", db.dir, err)
	}
	return nil
}
