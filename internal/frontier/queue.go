package frontier

import "container/heap"

// queue is a double-ended queue of items: FIFO, with a push to the front
// for retries and robots.txt.
type queue struct {
	items []Item
	head  int
}

func (q *queue) len() int { return len(q.items) - q.head }

func (q *queue) peek() *Item {
	if q.len() == 0 {
		return nil
	}
	return &q.items[q.head]
}

func (q *queue) pushBack(it Item) { q.items = append(q.items, it) }

func (q *queue) pushFront(it Item) {
	if q.head > 0 {
		q.head--
		q.items[q.head] = it
		return
	}
	q.items = append([]Item{it}, q.items...)
}

func (q *queue) popFront() Item {
	it := q.items[q.head]
	q.items[q.head] = Item{}
	q.head++
	switch {
	case q.head == len(q.items):
		q.items, q.head = q.items[:0], 0
	case q.head >= 64 && q.head*2 >= len(q.items):
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
	return it
}

// schedule is a min-heap of hosts by the time they may next be fetched.
type schedule []*host

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].readyAt.Before(s[j].readyAt) }
func (s schedule) Swap(i, j int) {
	s[i], s[j] = s[j], s[i]
	s[i].idx = i
	s[j].idx = j
}
func (s *schedule) Push(x any) {
	h := x.(*host)
	h.idx = len(*s)
	*s = append(*s, h)
}
func (s *schedule) Pop() any {
	old := *s
	h := old[len(old)-1]
	old[len(old)-1] = nil
	*s = old[:len(old)-1]
	h.idx = -1
	return h
}

func (s schedule) len() int { return len(s) }

func (s schedule) peek() *host {
	if len(s) == 0 {
		return nil
	}
	return s[0]
}

// set adds h or moves it to its new readyAt.
func (s *schedule) set(h *host) {
	if h.idx < 0 {
		heap.Push(s, h)
		return
	}
	heap.Fix(s, h.idx)
}

func (s *schedule) remove(h *host) {
	if h.idx >= 0 {
		heap.Remove(s, h.idx)
	}
}
