import SluicePortal
import Testing

@Suite struct SluicePortalTests {
    @Test func mountPathsAreDistinct() {
        #expect(Set(SluicePortal.mountPaths).count == SluicePortal.mountPaths.count)
    }
}
