// Module SluiceSynapse: see ARCHITECTURE.md for what it holds.
