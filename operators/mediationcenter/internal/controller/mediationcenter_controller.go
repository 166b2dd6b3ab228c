package controller

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"fengqiao.dev/api/policy"
	"fengqiao.dev/api/v1alpha1"
	"fengqiao.dev/operators/mediationcenter/internal/provision"
)

// Kafka is what the reconciler needs from the brokers; the real one is
// KafkaClients, the unit tests use a fake.
type Kafka interface {
	EnsureTopics(ctx context.Context, topics []provision.Topic) ([]string, error)
	DeleteTopics(ctx context.Context, topics []string) error
	Publish(ctx context.Context, p policy.CountyPolicy) error
	Retire(ctx context.Context, countyCode string, at time.Time) error
}

// Figures answers the latest figures supervision reported for a county.
type Figures interface {
	Figures(countyCode string) (policy.CountyFigures, bool)
}

// MediationCenterReconciler reconciles MediationCenter objects.
type MediationCenterReconciler struct {
	client.Client
	Kafka   Kafka
	Figures Figures
	// Agencies, when set, creates each county's agency principals and
	// ACLs with its topics (reconcileAgencies); nil leaves them to
	// Strimzi's KafkaUsers.
	Agencies Agencies
	// SecretReader reads the agencies' Secrets past the cache (the
	// manager's API reader); nil reads through Client.
	SecretReader client.Reader
	// Resync re-checks an idle county this often, so a deleted topic or a
	// Kafka outage shows in its conditions without a spec change.
	Resync time.Duration
	// RetryMin and RetryMax bound the back-off after a failed step.
	RetryMin, RetryMax time.Duration
	// Workers is the controller's MaxConcurrentReconciles; 0 is one.
	Workers int
	// Now is the clock; time is an input.
	Now func() time.Time
	// Recorder writes the Events that say what happened to a county; nil
	// writes none.
	Recorder events.EventRecorder

	// sharedTopicsChecked is set once the shared topics (policy, figures)
	// were found or made as wanted: they are the same for every county, so
	// one check per process is enough.
	sharedTopicsChecked atomic.Bool
	// published remembers the policy hash this process last published per
	// county (by UID): the cache may not show that status yet when the
	// county is reconciled again, and a second record would be a duplicate.
	published sync.Map
	// gone holds what a deleted resource without the finalizer leaves for
	// its retirement (goneCounty by namespaced name), until the tombstone
	// is written.
	gone sync.Map
	// retiredHere are the UIDs whose county retire wrote the tombstone for
	// before taking the finalizer off: their deletion retires nothing more.
	retiredHere sync.Map
	// ensured remembers, per county (by UID), the topics this process last
	// found as wanted and when (ensuredTopics).
	ensured sync.Map
	// locks serialises the reconciles of one county across the two
	// controllers (rollout and edits).
	locks sync.Map
	// codeLocks serialise, per county code, a publication and the sweep's
	// check-and-retire of the code (RetireOrphan).
	codeLocks sync.Map
}

// FinalizerName guards the deletion of a county whose spec asks for its
// topics to be deleted with it: that decision is in the spec, which is gone
// once the resource is. A county whose topics are retained (the default)
// needs no finalizer: its tombstone follows from the resource's absence.
const FinalizerName = "mediation.fengqiao.dev/retire-county"

// +kubebuilder:rbac:groups=mediation.fengqiao.dev,resources=mediationcenters,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=mediation.fengqiao.dev,resources=mediationcenters/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=mediation.fengqiao.dev,resources=mediationcenters/finalizers,verbs=update
// +kubebuilder:rbac:groups=coordination.k8s.io,resources=leases,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups="",resources=events,verbs=create;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile is the outer loop: load, retire or keep, run the steps, then
// write the status once with an optimistic lock.
func (r *MediationCenterReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	res, err := r.reconcile(ctx, req)
	if err != nil && ctx.Err() != nil {
		// The operator is stopping: what was cut short is no failure, and
		// the next leader reconciles every county as it starts.
		log.FromContext(ctx).Info("reconcile cut short by the operator's stop", "reason", err.Error())
		return ctrl.Result{}, nil
	}
	return res, err
}

func (r *MediationCenterReconciler) reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	unlock := r.lock(req.NamespacedName)
	defer unlock()
	var mc v1alpha1.MediationCenter
	if err := r.Get(ctx, req.NamespacedName, &mc); err != nil {
		if apierrors.IsNotFound(err) {
			return ctrl.Result{}, r.retireGone(ctx, req.NamespacedName)
		}
		return ctrl.Result{}, err
	}
	if !mc.DeletionTimestamp.IsZero() {
		return r.retire(ctx, &mc)
	}
	if err := r.ensureFinalizer(ctx, &mc); err != nil {
		return ctrl.Result{}, err
	}
	before := mc.DeepCopy()
	stepErr := r.reconcileSteps(ctx, &mc)
	// What was done on Kafka must reach the status even when the operator
	// is stopping: a lost status would publish the same policy again.
	statusCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), statusWriteTimeout)
	defer cancel()
	if err := r.patchStatus(statusCtx, before, &mc); err != nil {
		return ctrl.Result{}, errors.Join(stepErr, err)
	}
	if stepErr != nil {
		// Back-off comes from the controller's rate limiter.
		return ctrl.Result{}, stepErr
	}
	return ctrl.Result{RequeueAfter: r.Resync, Priority: ptr.To(priorityRecheck)}, nil
}

// statusWriteTimeout bounds the status write that outlives a stopping
// operator.
const statusWriteTimeout = 10 * time.Second

// reconcileSteps runs each step in order; a step that cannot go on stops
// the ones that depend on it, and its reason is in the conditions.
func (r *MediationCenterReconciler) reconcileSteps(ctx context.Context, mc *v1alpha1.MediationCenter) error {
	p := r.derive(mc)
	recordDivision(mc)
	reconcileStaffing(mc, p)
	reconcileCalendar(mc, r.Now())
	r.reconcileFigures(mc)
	mc.Status.ObservedGeneration = mc.Generation
	if owner, err := r.countyOwner(ctx, mc); err != nil || owner != nil {
		markDuplicate(mc, owner)
		return err
	}
	if err := r.reconcileTopics(ctx, mc, p); err != nil {
		markPolicyBlocked(mc, p)
		markReady(mc)
		return err
	}
	err := r.reconcilePolicy(ctx, mc, p)
	markReady(mc)
	return errors.Join(err, r.reconcileAgencies(ctx, mc))
}

// ensureFinalizer adds the finalizer to a county whose topics go with it
// before anything is provisioned, so its topics are never left behind. A
// patch of the finalizers alone, under the resource version read: the spec
// is not sent back. It does not change the generation, so the reconcile
// goes on with the refreshed object. Every other county costs the
// apiserver its status write alone.
func (r *MediationCenterReconciler) ensureFinalizer(ctx context.Context, mc *v1alpha1.MediationCenter) error {
	if mc.Spec.Topics.DeletionPolicy != v1alpha1.DeletionDelete {
		return nil
	}
	before := mc.DeepCopy()
	if !controllerutil.AddFinalizer(mc, FinalizerName) {
		return nil
	}
	if err := r.Patch(ctx, mc, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{})); err != nil {
		return fmt.Errorf("while adding the finalizer to %s: %w", key(mc), err)
	}
	return nil
}

// SetupWithManager registers two controllers on one reconciler. The
// rollout controller watches MediationCenters (creation, spec changes and
// deletion only: status writes must not loop), wakes the other resources of
// the same county when one changes (duplicate handling), and is woken by
// the figures reader. The edits controller takes the spec changes of
// counties already reconciled, on workers of its own, so a policy edit
// never waits for a free worker behind a province's rollout; a county's
// reconciles are serialised across the two (lock).
func (r *MediationCenterReconciler) SetupWithManager(mgr ctrl.Manager, figures *FiguresReader, skipNameValidation bool) error {
	if err := IndexCountyCode(context.Background(), mgr.GetFieldIndexer()); err != nil {
		return err
	}
	rollout := predicate.And(
		predicate.Or[client.Object](predicate.GenerationChangedPredicate{}, deletionPredicate()),
		predicate.Not(editPredicate()))
	b := ctrl.NewControllerManagedBy(mgr).
		Watches(&v1alpha1.MediationCenter{}, prioritised(r.forget), builder.WithPredicates(rollout)).
		Watches(&v1alpha1.MediationCenter{}, handler.EnqueueRequestsFromMapFunc(r.sameCounty)).
		WithOptions(controller.Options{
			RateLimiter:             workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](r.RetryMin, r.RetryMax),
			SkipNameValidation:      &skipNameValidation,
			MaxConcurrentReconciles: r.Workers,
		}).
		Named("mediationcenter")
	if figures != nil {
		b = b.WatchesRawSource(figures.Source(prioritised(nil)))
	}
	if err := b.Complete(r); err != nil {
		return fmt.Errorf("while setting up the MediationCenter controller: %w", err)
	}
	err := ctrl.NewControllerManagedBy(mgr).
		Watches(&v1alpha1.MediationCenter{}, &handler.EnqueueRequestForObject{}, builder.WithPredicates(editPredicate())).
		WithOptions(controller.Options{
			RateLimiter:             workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](r.RetryMin, r.RetryMax),
			SkipNameValidation:      &skipNameValidation,
			MaxConcurrentReconciles: editWorkers,
		}).
		Named("mediationcenter-edits").
		Complete(edits{r})
	if err != nil {
		return fmt.Errorf("while setting up the MediationCenter edits controller: %w", err)
	}
	return nil
}

// editWorkers reconcile the edits of reconciled counties: edits come one
// at a time from people, so two are plenty and cost nothing while idle.
const editWorkers = 2

// edits is the edits controller's reconciler: the county's re-check stays
// the rollout controller's, which scheduled it on its last reconcile.
type edits struct{ r *MediationCenterReconciler }

func (e edits) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	res, err := e.r.Reconcile(ctx, req)
	if err == nil {
		res = ctrl.Result{}
	}
	return res, err
}

// editPredicate passes a spec change of a county the operator had
// reconciled at its previous generation: an edit of a county in service.
func editPredicate() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			old, ok1 := e.ObjectOld.(*v1alpha1.MediationCenter)
			cur, ok2 := e.ObjectNew.(*v1alpha1.MediationCenter)
			return ok1 && ok2 && cur.DeletionTimestamp.IsZero() && cur.Generation != old.Generation &&
				old.Status.ObservedGeneration == old.Generation
		},
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}

func key(mc *v1alpha1.MediationCenter) string {
	return types.NamespacedName{Namespace: mc.Namespace, Name: mc.Name}.String()
}
