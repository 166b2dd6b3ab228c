package controller_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	kafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/operators/mediationcenter/internal/controller"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
	"fengqiao.dev/pkg/config"
	"fengqiao.dev/pkg/messaging"
)

// TestFiguresReaderWithSASL: the figures reader finds the figures topic and
// reads it on a broker that accepts only SASL clients (its own kfake, not the
// suite's plaintext broker). The provisioner and publisher are tested on
// such a broker in internal/publish.
func TestFiguresReaderWithSASL(t *testing.T) {
	needEnvtest(t) // the reader wakes MediationCenters through the API server
	kc, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "mediationcenter-operator", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer kc.Close()
	cluster := messaging.Cluster{Brokers: kc.ListenAddrs(), Security: config.KafkaSecurity{
		SASLMechanism: "SCRAM-SHA-512", Username: "mediationcenter-operator", Password: "s3cret"}}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	writeFigures(ctx, t, cluster, policy.CountyFigures{CountyCode: "622921", Open: 7, AsOf: time.Now()})

	// suite.k8s reads the API server directly, which cannot select by county
	// code: the wake after the record logs "cannot wake county". Waking is
	// TestFiguresReachStatus's subject; this test is about reading over SASL.
	f := controller.NewFiguresReader(cluster, suite.k8s)
	f.Retry = 100 * time.Millisecond
	done := make(chan error, 1)
	go func() { done <- f.Start(ctx) }()
	eventually(t, "the figures read over SASL", func() (bool, string) {
		got, ok := f.Figures("622921")
		return ok && got.Open == 7, fmt.Sprintf("%+v %v", got, ok)
	})
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// writeFigures creates the figures topic and writes one record, as
// supervision does, with the cluster's SASL settings.
func writeFigures(ctx context.Context, t *testing.T, cluster messaging.Cluster, fig policy.CountyFigures) {
	t.Helper()
	prov, err := provision.New(cluster, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prov.Ensure(ctx, []provision.Topic{{Name: policy.TopicCountyFigures, Partitions: 1}}); err != nil {
		t.Fatal(err)
	}
	value, err := policy.EncodeFigures(fig)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := cluster.Transport()
	if err != nil {
		t.Fatal(err)
	}
	w := &kafka.Writer{Addr: kafka.TCP(cluster.Brokers...), Topic: policy.TopicCountyFigures, Transport: tr,
		BatchTimeout: 5 * time.Millisecond}
	defer func() { _ = w.Close() }()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte(fig.CountyCode), Value: value}); err != nil {
		t.Fatal(err)
	}
}
