package provision

import (
	"context"
	"reflect"
	"slices"
	"sync"
)

// Batcher merges the Ensure calls that arrive while one is with the broker
// into the next: while a province is rolled out, the counties' topics are
// checked in one Metadata request and the missing ones made in one
// CreateTopics request per batch, not per county. A lone call goes out at
// once, as Provisioner.Ensure; nothing waits for a batch to fill.
type Batcher struct {
	p *Provisioner

	mu      sync.Mutex
	pending []*ensureCall
	busy    bool
}

type ensureCall struct {
	ctx     context.Context
	topics  []Topic
	created []string
	err     error
	done    chan struct{}
}

// NewBatcher batches p's Ensure calls.
func NewBatcher(p *Provisioner) *Batcher { return &Batcher{p: p} }

// Ensure is Provisioner.Ensure, merged with the calls of other goroutines
// made meanwhile. Each caller gets the names created among its own topics,
// and its own error: a batch that fails is tried again call by call, so one
// county's topic that cannot shrink fails that county alone.
func (b *Batcher) Ensure(ctx context.Context, topics []Topic) ([]string, error) {
	c := &ensureCall{ctx: ctx, topics: topics, done: make(chan struct{})}
	b.mu.Lock()
	b.pending = append(b.pending, c)
	if !b.busy {
		b.busy = true
		go b.run()
	}
	b.mu.Unlock()
	select {
	case <-c.done:
		return c.created, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run sends the pending calls, batch after batch, until none is left.
func (b *Batcher) run() {
	for {
		b.mu.Lock()
		batch := b.pending
		b.pending = nil
		if len(batch) == 0 {
			b.busy = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		b.send(batch)
	}
}

func (b *Batcher) send(batch []*ensureCall) {
	batch = slices.DeleteFunc(batch, func(c *ensureCall) bool { return c.ctx.Err() != nil })
	if len(batch) == 1 {
		c := batch[0]
		c.created, c.err = b.p.Ensure(c.ctx, c.topics)
		close(c.done)
		return
	}
	var created []string
	if union, ok := merge(batch); ok {
		// No caller's context: the batch is everyone's, and Ensure bounds it
		// with the provisioner's timeout.
		var err error
		created, err = b.p.Ensure(context.Background(), union)
		if err == nil {
			for _, c := range batch {
				c.created = ownCreated(created, c.topics)
				close(c.done)
			}
			return
		}
	}
	// What the failed batch did create is still each caller's news.
	var wg sync.WaitGroup
	for _, c := range batch {
		wg.Go(func() {
			again, err := b.p.Ensure(c.ctx, c.topics)
			c.created, c.err = append(ownCreated(created, c.topics), again...), err
			slices.Sort(c.created)
			close(c.done)
		})
	}
	wg.Wait()
}

// merge is the batch's topics, each once; false when two calls want one
// topic in different shapes, which only calls of their own can tell apart.
func merge(batch []*ensureCall) ([]Topic, bool) {
	seen := map[string]Topic{}
	var out []Topic
	for _, c := range batch {
		for _, t := range c.topics {
			if prev, ok := seen[t.Name]; ok {
				if !reflect.DeepEqual(prev, t) {
					return nil, false
				}
				continue
			}
			seen[t.Name] = t
			out = append(out, t)
		}
	}
	return out, true
}

func ownCreated(created []string, topics []Topic) []string {
	var out []string
	for _, name := range created {
		if slices.ContainsFunc(topics, func(t Topic) bool { return t.Name == name }) {
			out = append(out, name)
		}
	}
	return out
}
