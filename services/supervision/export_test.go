package supervision

// ReplayHoldingAtMost is Replay with its bound on the case files held in
// memory lowered, so a test reaches the path that updates case files
// already written.
var ReplayHoldingAtMost = replay
