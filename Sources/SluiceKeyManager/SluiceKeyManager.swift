// Module SluiceKeyManager: see ARCHITECTURE.md for what it holds.
import Crypto
import ServiceLifecycle
