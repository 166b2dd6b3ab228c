package mapping_test

import (
	"reflect"
	"strconv"
	"testing"

	"fengqiao.dev/pkg/mapping"
)

type key string

func TestSlice(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []int
		want []string
	}{
		{"nil stays nil", nil, nil},
		{"empty stays empty", []int{}, []string{}},
		{"each element", []int{1, 2, 3}, []string{"1", "2", "3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapping.Slice(tc.in, strconv.Itoa)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Slice(%#v) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestMap(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   map[string]int
		want map[key]string
	}{
		{"nil stays nil", nil, nil},
		{"empty stays empty", map[string]int{}, map[key]string{}},
		{"each entry", map[string]int{"a": 1, "b": 2}, map[key]string{"a": "1", "b": "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapping.Map[string, key](tc.in, strconv.Itoa)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Map(%#v) = %#v, want %#v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPtr(t *testing.T) {
	one := 1
	for _, tc := range []struct {
		name string
		in   *int
		want *string
	}{
		{"nil stays nil", nil, nil},
		{"what it points at", &one, func() *string { s := "1"; return &s }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := mapping.Ptr(tc.in, strconv.Itoa)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Ptr(%v) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
