// Package v1alpha1 holds the MediationCenter custom resource: one per county,
// the single source of that county's staffing, routing, escalation and
// revisit policy. The operator in operators/mediationcenter derives
// the published policy (fengqiao.dev/api/policy) from it.
//
// Only the operator imports this package; services read the published policy
// and never pull Kubernetes in.
//
// +kubebuilder:object:generate=true
// +groupName=mediation.fengqiao.dev
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GroupVersion is the group and version of every kind in this package.
var GroupVersion = schema.GroupVersion{Group: "mediation.fengqiao.dev", Version: "v1alpha1"}

// SchemeBuilder registers this package's kinds; it is apimachinery's rather
// than controller-runtime's so that the api module stays light.
var SchemeBuilder = runtime.NewSchemeBuilder(addKnownTypes)

// AddToScheme adds this package's kinds to a scheme.
var AddToScheme = SchemeBuilder.AddToScheme

func addKnownTypes(s *runtime.Scheme) error {
	s.AddKnownTypes(GroupVersion, &MediationCenter{}, &MediationCenterList{})
	metav1.AddToGroupVersion(s, GroupVersion)
	return nil
}
