package wait

import (
	"context"
	"testing"
	"time"
)

func TestSleepReturnsFalseWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Sleep(ctx, time.Hour) {
		t.Fatal("Sleep waited out an hour on a cancelled context")
	}
	if !Sleep(context.Background(), 0) {
		t.Fatal("Sleep(0) reported a cancellation")
	}
}

func TestJitteredStaysUnderTheLimit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if Jittered(ctx, 30, time.Hour) {
		t.Fatal("Jittered waited on a cancelled context")
	}
	if !Jittered(context.Background(), 40, time.Millisecond) {
		t.Fatal("a capped, uncancelled wait failed")
	}
}
