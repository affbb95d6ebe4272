// Package kafka is the k6 module "k6/x/fraud-kafka": a franz-go producer of simulated transactions
// (TransactionMessage JSON, key = customerId), shared by every VU, for Kafka-level load at a constant arrival rate.
package kafka

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.k6.io/k6/js/modules"
)

func init() {
	modules.Register("k6/x/fraud-kafka", &root{producers: map[string]*Producer{}})
}

type root struct {
	mu        sync.Mutex
	producers map[string]*Producer
}

type instance struct{ root *root }

func (r *root) NewModuleInstance(_ modules.VU) modules.Instance { return &instance{root: r} }

func (i *instance) Exports() modules.Exports {
	return modules.Exports{Named: map[string]any{"producer": i.producer}}
}

// Config of a producer; the same brokers, topic and prefix share one client across VUs.
type Config struct {
	Brokers   string `js:"brokers"`
	Topic     string `js:"topic"`
	TxPrefix  string `js:"txPrefix"`
	Customers int    `js:"customers"`
	Terminals int    `js:"terminals"`
	LingerMs  int    `js:"lingerMs"`
}

// Producer sends transactions asynchronously and counts what the brokers acknowledged.
type Producer struct {
	client   *kgo.Client
	cfg      Config
	next     atomic.Int64
	sent     atomic.Int64
	acked    atomic.Int64
	failed   atomic.Int64
	lastErr  atomic.Value
	firstNs  atomic.Int64
	lastNs   atomic.Int64
}

// Stats as k6 sees them: sent, acked and failed records, and the last error.
type Stats struct {
	Sent    int64  `js:"sent"`
	Acked   int64  `js:"acked"`
	Failed  int64  `js:"failed"`
	LastErr string `js:"lastError"`
	// AckedPerSec is acknowledged records per second, from the first send to the last acknowledgement.
	AckedPerSec float64 `js:"ackedPerSec"`
}

func (i *instance) producer(cfg Config) (*Producer, error) {
	if cfg.Brokers == "" || cfg.Topic == "" {
		return nil, fmt.Errorf("fraud-kafka: producer needs brokers and topic")
	}
	if cfg.Customers <= 0 {
		cfg.Customers = 5000
	}
	if cfg.Terminals <= 0 {
		cfg.Terminals = 10000
	}
	if cfg.LingerMs <= 0 {
		cfg.LingerMs = 5
	}
	key := cfg.Brokers + "|" + cfg.Topic + "|" + cfg.TxPrefix
	i.root.mu.Lock()
	defer i.root.mu.Unlock()
	if p, ok := i.root.producers[key]; ok {
		return p, nil
	}
	client, err := kgo.NewClient(
		kgo.SeedBrokers(strings.Split(cfg.Brokers, ",")...),
		kgo.DefaultProduceTopic(cfg.Topic),
		kgo.ProducerLinger(time.Duration(cfg.LingerMs)*time.Millisecond),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		// Uncompressed: franz-go's default is snappy, which kafkajs (the scorer's and archiver's client) cannot read.
		kgo.ProducerBatchCompression(kgo.NoCompression()),
		kgo.MaxBufferedRecords(1_000_000),
	)
	if err != nil {
		return nil, fmt.Errorf("fraud-kafka: %w", err)
	}
	p := &Producer{client: client, cfg: cfg}
	i.root.producers[key] = p
	return p, nil
}

type transaction struct {
	TxID       string  `json:"txId"`
	Ts         int64   `json:"ts"`
	CustomerID string  `json:"customerId"`
	TerminalID string  `json:"terminalId"`
	Amount     float64 `json:"amount"`
}

// Send produces n transactions without waiting for their acknowledgement.
func (p *Producer) Send(n int) error {
	for range n {
		seq := p.next.Add(1)
		tx := transaction{
			TxID:       fmt.Sprintf("%s%d", p.cfg.TxPrefix, seq),
			Ts:         time.Now().UnixMilli(),
			CustomerID: fmt.Sprintf("c%d", rand.IntN(p.cfg.Customers)),
			TerminalID: fmt.Sprintf("t%d", rand.IntN(p.cfg.Terminals)),
			Amount:     float64(rand.IntN(30000)) / 100,
		}
		value, err := json.Marshal(tx)
		if err != nil {
			return err
		}
		if p.sent.Add(1) == 1 {
			p.firstNs.Store(time.Now().UnixNano())
		}
		p.client.Produce(context.Background(), &kgo.Record{Key: []byte(tx.CustomerID), Value: value}, p.ack)
	}
	return nil
}

func (p *Producer) ack(_ *kgo.Record, err error) {
	if err != nil {
		p.failed.Add(1)
		p.lastErr.Store(err.Error())
		return
	}
	p.acked.Add(1)
	p.lastNs.Store(time.Now().UnixNano())
}

// Flush waits (at most timeoutMs) until every record sent so far is acknowledged or failed.
func (p *Producer) Flush(timeoutMs int) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(timeoutMs)*time.Millisecond)
	defer cancel()
	return p.client.Flush(ctx)
}

// Stats returns the counters.
func (p *Producer) Stats() Stats {
	s := Stats{Sent: p.sent.Load(), Acked: p.acked.Load(), Failed: p.failed.Load()}
	if e, ok := p.lastErr.Load().(string); ok {
		s.LastErr = e
	}
	if span := p.lastNs.Load() - p.firstNs.Load(); span > 0 {
		s.AckedPerSec = float64(s.Acked) / (float64(span) / 1e9)
	}
	return s
}
