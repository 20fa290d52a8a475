// Module SluiceManagement: see ARCHITECTURE.md for what it holds.
import Hummingbird
