// Module SluiceTesting: see ARCHITECTURE.md for what it holds.
