// Module SluiceStorage: see ARCHITECTURE.md for what it holds.
import GRDB
