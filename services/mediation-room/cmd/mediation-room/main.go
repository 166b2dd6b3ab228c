// Command mediation-room runs the mediation-room service against external
// Kafka and MongoDB, configured by KAFKA_BROKERS, MONGODB_URI, HTTP_ADDR and
// OTEL_*.
package main

import (
	"os"

	"fengqiao.dev/pkg/bootstrap"
	mediationroom "fengqiao.dev/services/mediation-room"
)

func main() { os.Exit(bootstrap.Main(mediationroom.Name, mediationroom.Run)) }
