# stacks-runner: `make` targets over ./run, which installs what is missing first (./run help).
#
#   make build     build (build/)
#   make test      build and run the whole test suite, dist tests included
#   make dist      the static node binaries: dist/stacks-runner-linux-x86_64 and -arm64
#   make sanitize  the test suite under AddressSanitizer and UndefinedBehaviorSanitizer
#   make synth     synthesize the bundled sample (sample-configs/mainnet-follower.env)
#   make clean-dist  remove dist/ and the dist build directories

.PHONY: all build test dist sanitize synth clean-dist help
all: build

build test dist sanitize synth help:
	./run $@

clean-dist:
	rm -rf dist build-dist-x86_64 build-dist-arm64
