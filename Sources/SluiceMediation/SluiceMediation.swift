// Module SluiceMediation: see ARCHITECTURE.md for what it holds.
import NIOCore
import NIOPosix
import NIOHTTP1
import Logging
