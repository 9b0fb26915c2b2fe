package frontier

import (
	"container/heap"
	"time"
)

// Slot is a host's place in a Schedule: embed it in the host type of a
// frontier implementation. The zero Slot is not scheduled.
type Slot struct {
	// ReadyAt is when the host may next be fetched from; valid while
	// the host is scheduled.
	ReadyAt time.Time
	pos     int // index in the heap + 1; 0 when not there
}

// ScheduleSlot returns s, so that a type embedding Slot is Scheduled.
func (s *Slot) ScheduleSlot() *Slot { return s }

// Scheduled reports whether the host is in a schedule.
func (s *Slot) Scheduled() bool { return s.pos > 0 }

// Scheduled is what a Schedule orders: a host type embedding Slot.
type Scheduled interface{ ScheduleSlot() *Slot }

// Schedule is a min-heap of hosts by the time they may next be fetched,
// shared by the frontier implementations that keep their schedule in
// memory. It is not safe for concurrent use.
type Schedule[H Scheduled] struct{ hs hostHeap[H] }

// Len is how many hosts are scheduled.
func (s *Schedule[H]) Len() int { return len(s.hs) }

// Peek returns the host ready first; ok is false when none is scheduled.
func (s *Schedule[H]) Peek() (h H, ok bool) {
	if len(s.hs) == 0 {
		return h, false
	}
	return s.hs[0], true
}

// Set schedules h at its Slot's ReadyAt, adding it or moving it.
func (s *Schedule[H]) Set(h H) {
	if p := h.ScheduleSlot().pos; p > 0 {
		heap.Fix(&s.hs, p-1)
		return
	}
	heap.Push(&s.hs, h)
}

// Remove takes h out of the schedule, if it is there.
func (s *Schedule[H]) Remove(h H) {
	if p := h.ScheduleSlot().pos; p > 0 {
		heap.Remove(&s.hs, p-1)
	}
}

// hostHeap implements heap.Interface.
type hostHeap[H Scheduled] []H

func (q hostHeap[H]) Len() int { return len(q) }
func (q hostHeap[H]) Less(i, j int) bool {
	return q[i].ScheduleSlot().ReadyAt.Before(q[j].ScheduleSlot().ReadyAt)
}
func (q hostHeap[H]) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].ScheduleSlot().pos = i + 1
	q[j].ScheduleSlot().pos = j + 1
}
func (q *hostHeap[H]) Push(x any) {
	h := x.(H)
	h.ScheduleSlot().pos = len(*q) + 1
	*q = append(*q, h)
}
func (q *hostHeap[H]) Pop() any {
	old := *q
	h := old[len(old)-1]
	var zero H
	old[len(old)-1] = zero
	*q = old[:len(old)-1]
	h.ScheduleSlot().pos = 0
	return h
}
