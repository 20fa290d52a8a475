import Testing

/// The command-line suites that start real `sluice server` processes run one at a time: each server (a debug
/// build) takes a core while it starts, and running them side by side with the rest of the tests starves the
/// timing-sensitive gateway tests on small machines.
@Suite(.serialized)
enum CLIProcessTests {}
