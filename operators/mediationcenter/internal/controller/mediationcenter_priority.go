package controller

import (
	"context"

	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"fengqiao.dev/api/v1alpha1"
)

// The work queue's priorities, highest first. A county's spec change is
// what the services wait for, so it goes ahead of a province's worth of
// new counties being provisioned; both go ahead of the periodic re-checks
// and figure updates, which only confirm what is already so.
const (
	prioritySpecChange = 0
	priorityNewCounty  = -10
	priorityRecheck    = handler.LowPriority
)

// prioritised enqueues MediationCenter events by what they mean: a spec
// change or deletion, a county not yet reconciled at its generation, or a
// re-check of one that is. A deleted resource is passed to onDelete first,
// when set, since the reconcile will find it gone.
func prioritised(onDelete func(client.Object)) handler.TypedEventHandler[client.Object, reconcile.Request] {
	return handler.TypedFuncs[client.Object, reconcile.Request]{
		DeleteFunc: func(_ context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			if onDelete == nil {
				return
			}
			onDelete(e.Object)
			enqueue(q, e.Object, prioritySpecChange)
		},
		CreateFunc: func(_ context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(q, e.Object, creationPriority(e.Object))
		},
		UpdateFunc: func(_ context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(q, e.ObjectNew, prioritySpecChange)
		},
		GenericFunc: func(_ context.Context, e event.GenericEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			enqueue(q, e.Object, priorityRecheck)
		},
	}
}

// creationPriority tells a new county, or one changed while no operator
// ran, from one the operator already reconciled, as the operator's start
// lists them all.
func creationPriority(o client.Object) int {
	mc, ok := o.(*v1alpha1.MediationCenter)
	if ok && mc.Status.ObservedGeneration == mc.Generation {
		return priorityRecheck
	}
	return priorityNewCounty
}

func enqueue(q workqueue.TypedRateLimitingInterface[reconcile.Request], o client.Object, priority int) {
	req := reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)}
	if pq, ok := q.(priorityqueue.PriorityQueue[reconcile.Request]); ok {
		pq.AddWithOpts(priorityqueue.AddOpts{Priority: &priority}, req)
		return
	}
	q.Add(req)
}
