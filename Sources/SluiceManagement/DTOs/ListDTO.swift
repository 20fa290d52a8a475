/// WSO2's list envelope: `{"count": n, "list": [...], "pagination": {"offset", "limit", "total"}}`.
struct ListDTO<Item: Encodable & Sendable>: Encodable, Sendable {
    struct PaginationDTO: Encodable, Sendable {
        var offset: Int
        var limit: Int
        var total: Int
    }

    var count: Int
    var list: [Item]
    var pagination: PaginationDTO?

    /// A whole list.
    init(_ items: [Item]) {
        count = items.count
        list = items
        pagination = nil
    }

    /// One page of `items`.
    init(_ items: [Item], page: Pagination) {
        let shown = page.page(items)
        count = shown.count
        list = shown
        pagination = PaginationDTO(offset: page.offset, limit: page.limit, total: items.count)
    }
}
