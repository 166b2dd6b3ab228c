package controller

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"fengqiao.dev/api/v1alpha1"
)

func TestCreationPriority(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		generation, observed int64
		want                 int
	}{
		{"a new county", 1, 0, priorityNewCounty},
		{"changed while no operator ran", 3, 2, priorityNewCounty},
		{"reconciled before the operator's start", 2, 2, priorityRecheck},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mc := &v1alpha1.MediationCenter{ObjectMeta: metav1.ObjectMeta{Generation: tc.generation},
				Status: v1alpha1.MediationCenterStatus{ObservedGeneration: tc.observed}}
			if got := creationPriority(mc); got != tc.want {
				t.Errorf("priority %d, want %d", got, tc.want)
			}
		})
	}
	if !(prioritySpecChange > priorityNewCounty && priorityNewCounty > priorityRecheck) {
		t.Error("a spec change must go ahead of a new county, and a new county ahead of a re-check")
	}
}
