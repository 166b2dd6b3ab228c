package controller

import (
	"context"
	"errors"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
)

// fakeKafka records calls and fails as told.
type fakeKafka struct {
	ensureErr, publishErr, retireErr error
	ensured, published, retired      int
	deleted                          []string
	last                             policy.CountyPolicy
}

func (f *fakeKafka) EnsureTopics(_ context.Context, _ []provision.Topic) ([]string, error) {
	f.ensured++
	return nil, f.ensureErr
}
func (f *fakeKafka) DeleteTopics(_ context.Context, t []string) error {
	f.deleted = append(f.deleted, t...)
	return nil
}
func (f *fakeKafka) Publish(_ context.Context, p policy.CountyPolicy) error {
	if f.publishErr != nil {
		return f.publishErr
	}
	f.published++
	f.last = p
	return nil
}
func (f *fakeKafka) Retire(context.Context, string, time.Time) error {
	if f.retireErr != nil {
		return f.retireErr
	}
	f.retired++
	return nil
}

var clock = func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }

func center(name, code string) *v1alpha1.MediationCenter {
	one := int32(1)
	return &v1alpha1.MediationCenter{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, Generation: 1, UID: types.UID("uid-" + name),
			CreationTimestamp: metav1.NewTime(clock())},
		Spec: v1alpha1.MediationCenterSpec{
			County:       v1alpha1.County{Code: code, Name: "临夏市"},
			Jurisdiction: []v1alpha1.Township{{ID: "bafang", Name: "八坊街道"}},
			Agencies:     []v1alpha1.Agency{{ID: "centre", Name: "综治中心", Kind: "governance_centre"}},
			Mediators: []v1alpha1.Mediator{
				{ID: "a", Agency: "centre", Tier: 1, OnCall: true, Skills: []v1alpha1.Category{"other"}, Capacity: &one},
				{ID: "b", Agency: "centre", Tier: 2, Skills: []v1alpha1.Category{"other"}},
				{ID: "c", Agency: "centre", Tier: 3, Skills: []v1alpha1.Category{"other"}},
			},
			Routing: []v1alpha1.RoutingRule{{Category: "other", Agency: "centre"}},
		},
	}
}

func newReconciler(t *testing.T, k *fakeKafka, objs ...client.Object) *MediationCenterReconciler {
	t.Helper()
	s := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	c := fake.NewClientBuilder().WithScheme(s).WithObjects(objs...).
		WithStatusSubresource(&v1alpha1.MediationCenter{}).
		WithIndex(&v1alpha1.MediationCenter{}, countyCodeField, func(o client.Object) []string {
			return []string{o.(*v1alpha1.MediationCenter).Spec.County.Code}
		}).Build()
	return &MediationCenterReconciler{Client: c, Kafka: k, Resync: time.Minute, Now: clock}
}

func reconcileOnce(t *testing.T, r *MediationCenterReconciler, name string) (*v1alpha1.MediationCenter, ctrl.Result, error) {
	t.Helper()
	key := types.NamespacedName{Namespace: "ns", Name: name}
	res, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: key})
	var mc v1alpha1.MediationCenter
	if getErr := r.Get(context.Background(), key, &mc); getErr != nil {
		t.Fatal(getErr)
	}
	return &mc, res, err
}

func conditionOf(mc *v1alpha1.MediationCenter, typ string) string {
	c := meta.FindStatusCondition(mc.Status.Conditions, typ)
	if c == nil {
		return "missing"
	}
	return string(c.Status) + "/" + c.Reason
}

// TestReconcileDecisions: what one reconcile decides, given what Kafka does.
func TestReconcileDecisions(t *testing.T) {
	brokerDown := errors.New("dial tcp 127.0.0.1:9092: connection refused")
	cases := []struct {
		name                          string
		kafka                         fakeKafka
		wantErr                       bool
		topics, published, ready      string
		wantPublished, wantRequeueMin time.Duration
	}{
		{name: "all well", topics: "True/TopicsCreated", published: "True/Published", ready: "True/Reconciled",
			wantRequeueMin: time.Minute},
		{name: "broker down", kafka: fakeKafka{ensureErr: brokerDown}, wantErr: true,
			topics: "False/KafkaUnavailable", published: "False/Pending", ready: "False/KafkaUnavailable"},
		{name: "partitions cannot shrink", kafka: fakeKafka{ensureErr: provision.ErrShrink}, wantErr: true,
			topics: "False/TopicsMismatch", published: "False/Pending", ready: "False/TopicsMismatch"},
		{name: "publish fails", kafka: fakeKafka{publishErr: brokerDown}, wantErr: true,
			topics: "True/TopicsCreated", published: "False/PublishFailed", ready: "False/PublishFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := tc.kafka
			r := newReconciler(t, &k, center("lx", "622901"))
			mc, res, err := reconcileOnce(t, r, "lx")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			for typ, want := range map[string]string{v1alpha1.ConditionTopicsReady: tc.topics,
				v1alpha1.ConditionPolicyPublished: tc.published, v1alpha1.ConditionReady: tc.ready} {
				if got := conditionOf(mc, typ); got != want {
					t.Errorf("%s = %s, want %s", typ, got, want)
				}
			}
			// Topics retained by default: no finalizer, one write fewer per county.
			if mc.Status.ObservedGeneration != 1 || len(mc.Finalizers) != 0 {
				t.Errorf("observedGeneration %d, finalizers %v", mc.Status.ObservedGeneration, mc.Finalizers)
			}
			if res.RequeueAfter != tc.wantRequeueMin {
				t.Errorf("requeueAfter %v, want %v", res.RequeueAfter, tc.wantRequeueMin)
			}
		})
	}
}

// TestIdleWhenCurrent: a second reconcile of an unchanged resource checks
// the topics but does not publish again; a changed spec does.
func TestIdleWhenCurrent(t *testing.T) {
	k := &fakeKafka{}
	r := newReconciler(t, k, center("lx", "622901"))
	reconcileOnce(t, r, "lx")
	mc, _, err := reconcileOnce(t, r, "lx")
	if err != nil {
		t.Fatal(err)
	}
	if k.published != 1 || k.ensured != 2 {
		t.Fatalf("published %d, ensured %d; want 1, 2", k.published, k.ensured)
	}
	mc.Spec.Revisit.DeadlineDays = 10
	mc.Generation = 2
	if err := r.Update(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	mc, _, _ = reconcileOnce(t, r, "lx")
	if k.published != 2 || k.last.Revision != 2 || k.last.Revisit.Deadline.Duration != 240*time.Hour {
		t.Fatalf("after the change: published %d, revision %d, deadline %v", k.published, k.last.Revision, k.last.Revisit.Deadline)
	}
	if mc.Status.PolicyHash != k.last.Hash || mc.Status.PublishedAt == nil {
		t.Errorf("status hash %s, record hash %s", mc.Status.PolicyHash, k.last.Hash)
	}
}

// TestRetire: deletion writes the tombstone; the copy topics go only when
// the spec says Delete; a duplicate retires nothing.
func TestRetire(t *testing.T) {
	cases := []struct {
		name                 string
		policy               v1alpha1.DeletionPolicy
		duplicate            bool
		wantRetired, wantDel int
	}{
		{"retain by default", "", false, 1, 0},
		{"delete when asked", v1alpha1.DeletionDelete, false, 1, 3},
		{"a duplicate retires nothing", v1alpha1.DeletionDelete, true, 0, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mc := center("lx", "622901")
			mc.Spec.Topics.DeletionPolicy = tc.policy
			mc.Finalizers = []string{FinalizerName}
			now := metav1.NewTime(clock())
			mc.DeletionTimestamp = &now
			objs := []client.Object{mc}
			if tc.duplicate {
				owner := center("older", "622901")
				owner.CreationTimestamp = metav1.NewTime(clock().Add(-time.Hour))
				objs = append(objs, owner)
			}
			k := &fakeKafka{}
			r := newReconciler(t, k, objs...)
			if _, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "lx"}}); err != nil {
				t.Fatal(err)
			}
			if k.retired != tc.wantRetired || len(k.deleted) != tc.wantDel {
				t.Errorf("retired %d, deleted %v", k.retired, k.deleted)
			}
		})
	}
}

// TestRetireWaitsForKafka: without the tombstone the finalizer stays, so
// the county is never silently left published.
func TestRetireWaitsForKafka(t *testing.T) {
	mc := center("lx", "622901")
	mc.Finalizers = []string{FinalizerName}
	now := metav1.NewTime(clock())
	mc.DeletionTimestamp = &now
	r := newReconciler(t, &fakeKafka{retireErr: errors.New("broker down")}, mc)
	if _, err := r.Reconcile(context.Background(), ctrl.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "lx"}}); err == nil {
		t.Fatal("no error while Kafka is down")
	}
	var got v1alpha1.MediationCenter
	if err := r.Get(context.Background(), types.NamespacedName{Namespace: "ns", Name: "lx"}, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Finalizers) != 1 {
		t.Errorf("finalizers %v: removed before the tombstone was written", got.Finalizers)
	}
}

// TestFinalizerOnlyWhenTopicsGo: only a county whose topics are deleted
// with it carries the finalizer; its spec decides that, and is gone with it.
func TestFinalizerOnlyWhenTopicsGo(t *testing.T) {
	for _, dp := range []v1alpha1.DeletionPolicy{"", v1alpha1.DeletionRetain, v1alpha1.DeletionDelete} {
		mc := center("lx", "622901")
		mc.Spec.Topics.DeletionPolicy = dp
		r := newReconciler(t, &fakeKafka{}, mc)
		got, _, err := reconcileOnce(t, r, "lx")
		if err != nil {
			t.Fatal(err)
		}
		if want := dp == v1alpha1.DeletionDelete; (len(got.Finalizers) == 1) != want {
			t.Errorf("deletion policy %q: finalizers %v", dp, got.Finalizers)
		}
	}
}

// TestRetireGone: a resource deleted without the finalizer has its county
// retired from the informer's last copy; not when another resource of the
// county is left, nor twice after the finalizer's retire; a failed
// tombstone is tried again.
func TestRetireGone(t *testing.T) {
	cases := []struct {
		name                 string
		policy               v1alpha1.DeletionPolicy
		other, byFinalizer   bool
		retireErr            error
		wantRetired, wantDel int
		wantErr              bool
	}{
		{name: "retained by default", wantRetired: 1},
		{name: "deleted when the last copy asked", policy: v1alpha1.DeletionDelete, wantRetired: 1, wantDel: 3},
		{name: "another resource of the county governs it now", other: true},
		{name: "the finalizer retired it already", byFinalizer: true},
		{name: "Kafka down", retireErr: errors.New("broker down"), wantErr: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var objs []client.Object
			if tc.other {
				objs = append(objs, center("other", "622901"))
			}
			k := &fakeKafka{retireErr: tc.retireErr}
			r := newReconciler(t, k, objs...)
			gone := center("lx", "622901")
			gone.Spec.Topics.DeletionPolicy = tc.policy
			r.forget(gone)
			if tc.byFinalizer {
				r.retiredHere.Store(gone.UID, true)
			}
			req := ctrl.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "lx"}}
			_, err := r.Reconcile(context.Background(), req)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if k.retired != tc.wantRetired || len(k.deleted) != tc.wantDel {
				t.Errorf("retired %d, deleted %v", k.retired, k.deleted)
			}
			// Once done, a second reconcile of the name retires nothing more;
			// after a failure the note stays for the retry.
			k.retireErr = nil
			if _, err := r.Reconcile(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			if want := max(tc.wantRetired, btoi(tc.wantErr)); k.retired != want {
				t.Errorf("after a second reconcile: retired %d, want %d", k.retired, want)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestOrphans: the sweep retires the live counties no resource names.
func TestOrphans(t *testing.T) {
	items := []v1alpha1.MediationCenter{*center("a", "622901"), *center("b", "620902")}
	got := Orphans([]string{"370202", "620902", "622901", "622922"}, items)
	if len(got) != 2 || got[0] != "370202" || got[1] != "622922" {
		t.Errorf("orphans %v", got)
	}
}

// TestRetireOrphan: the sweep's tombstone is written only while no
// resource of the county is in the cache.
func TestRetireOrphan(t *testing.T) {
	k := &fakeKafka{}
	r := newReconciler(t, k, center("lx", "622901"))
	if done, err := r.RetireOrphan(context.Background(), "622901"); done || err != nil || k.retired != 0 {
		t.Errorf("a county with a resource: retired %v (%v), %d tombstones", done, err, k.retired)
	}
	if done, err := r.RetireOrphan(context.Background(), "620902"); !done || err != nil || k.retired != 1 {
		t.Errorf("an orphan: retired %v (%v), %d tombstones", done, err, k.retired)
	}
}

// TestEditSkipsFreshTopicCheck: a spec change right after the topics were
// found as wanted publishes without asking the broker again; a re-check at
// the same generation asks.
func TestEditSkipsFreshTopicCheck(t *testing.T) {
	k := &fakeKafka{}
	r := newReconciler(t, k, center("lx", "622901"))
	mc, _, err := reconcileOnce(t, r, "lx")
	if err != nil {
		t.Fatal(err)
	}
	mc.Spec.Revisit.DeadlineDays = 10
	mc.Generation = 2
	if err := r.Update(context.Background(), mc); err != nil {
		t.Fatal(err)
	}
	mc, _, err = reconcileOnce(t, r, "lx")
	if err != nil {
		t.Fatal(err)
	}
	if k.ensured != 1 || k.published != 2 {
		t.Fatalf("ensured %d, published %d; want 1, 2", k.ensured, k.published)
	}
	if c := meta.FindStatusCondition(mc.Status.Conditions, v1alpha1.ConditionTopicsReady); c == nil || c.ObservedGeneration != 2 {
		t.Errorf("TopicsReady %+v, want it for generation 2", c)
	}
	if _, _, err := reconcileOnce(t, r, "lx"); err != nil || k.ensured != 2 {
		t.Errorf("re-check: ensured %d (%v), want 2", k.ensured, err)
	}
}

// TestDuplicateDecision: the younger resource of a county is held back
// without touching Kafka.
func TestDuplicateDecision(t *testing.T) {
	owner := center("older", "622901")
	owner.CreationTimestamp = metav1.NewTime(clock().Add(-time.Hour))
	k := &fakeKafka{}
	r := newReconciler(t, k, owner, center("lx", "622901"))
	mc, _, err := reconcileOnce(t, r, "lx")
	if err != nil {
		t.Fatal(err)
	}
	if got := conditionOf(mc, v1alpha1.ConditionReady); got != "False/DuplicateCounty" || k.ensured != 0 || k.published != 0 {
		t.Errorf("Ready %s, ensured %d, published %d", got, k.ensured, k.published)
	}
}
