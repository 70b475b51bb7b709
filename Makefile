# The two commands of the README's quick start are `make demo` and `make test`.
SWIFT ?= swift

.PHONY: deps build release demo test bench clean-demo

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --static-swift-stdlib

demo: build
	@bash scripts/demo.sh

test: deps
	$(SWIFT) build --build-tests
	@# A hung test fails the run in minutes instead of holding CI until its own limit.
	timeout --kill-after=30s 25m $(SWIFT) test --skip-build --skip OverlayServerTests
	@# The webhook receiver's tests time HTTP exchanges on loopback: run them on their own, not
	@# beside 700 other tests competing for two cores.
	timeout --kill-after=30s 10m $(SWIFT) test --skip-build --filter OverlayServerTests

bench: deps
	@bash bench/run.sh

clean-demo:
	rm -rf .demo
