// The floor for a Swift process: start, print one line, exit. Built by Benchmarks/run with `swiftc -O`.
print("hello")
