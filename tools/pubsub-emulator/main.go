// Command pubsub-emulator serves Google's in-memory Pub/Sub fake (cloud.google.com/go/pubsub/pstest) over
// gRPC on a given port, so that @google-cloud/pubsub can reach it through PUBSUB_EMULATOR_HOST.
//
// It is built in GOPATH mode from Debian's golang-google-cloud-dev sources (see README.md); that pstest
// version (0.56) has no NewServerWithPort, so its service implementation is registered on a gRPC server of
// our own instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"cloud.google.com/go/pubsub/pstest"
	pb "google.golang.org/genproto/googleapis/pubsub/v1"
	"google.golang.org/grpc"
)

// defaultAckDeadlineSeconds is what the real service assumes when a subscription is created without an ack
// deadline; pstest rejects 0 instead, and the Node client then retries the call for a minute.
const defaultAckDeadlineSeconds = 10

// service is pstest's implementation with the real service's default ack deadline.
type service struct {
	*pstest.GServer
}

func (s service) CreateSubscription(ctx context.Context, sub *pb.Subscription) (*pb.Subscription, error) {
	if sub.AckDeadlineSeconds == 0 {
		sub.AckDeadlineSeconds = defaultAckDeadlineSeconds
	}
	return s.GServer.CreateSubscription(ctx, sub)
}

func main() {
	host := flag.String("host", "127.0.0.1", "interface to listen on")
	port := flag.Int("port", 8085, "TCP port to listen on")
	flag.Parse()

	fake := pstest.NewServer()
	// pstest leaves these embedded interfaces nil: an RPC it does not implement (snapshots, schemas...) would
	// dereference nil and kill the process. The generated stubs answer UNIMPLEMENTED instead.
	fake.GServer.PublisherServer = &pb.UnimplementedPublisherServer{}
	fake.GServer.SubscriberServer = &pb.UnimplementedSubscriberServer{}

	listener, err := net.Listen("tcp", net.JoinHostPort(*host, fmt.Sprint(*port)))
	if err != nil {
		log.Fatalf("pubsub-emulator: %v", err)
	}
	server := grpc.NewServer()
	svc := service{&fake.GServer}
	pb.RegisterPublisherServer(server, svc)
	pb.RegisterSubscriberServer(server, svc)

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		// Not GracefulStop: open streaming pulls never end on their own, so it would wait forever.
		server.Stop()
	}()

	log.Printf("pubsub-emulator listening on %s", listener.Addr())
	if err := server.Serve(listener); err != nil {
		log.Fatalf("pubsub-emulator: %v", err)
	}
}
