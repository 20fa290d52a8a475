import SluiceMediation
import SluiceModel

// `SourceLocation` ignores itself in `==`, but an absent location still differs from a present one inside an
// Optional; a parsed artifact carries locations, a built one does not. Comparing both without them is fair.

extension SynapseAPI {
    /// The same API with every source location removed.
    var withoutLocations: SynapseAPI {
        var copy = self
        copy.location = nil
        copy.handlers = handlers.map {
            var handler = $0
            handler.location = nil
            return handler
        }
        copy.resources = resources.map(\.withoutLocations)
        return copy
    }
}

extension APIResource {
    fileprivate var withoutLocations: APIResource {
        var copy = self
        copy.location = nil
        copy.inSequence = inSequence?.withoutLocations
        copy.outSequence = outSequence?.withoutLocations
        copy.faultSequence = faultSequence?.withoutLocations
        return copy
    }
}

extension SequenceSlot {
    fileprivate var withoutLocations: SequenceSlot {
        switch self {
        case .inline(let mediators): .inline(mediators.map(\.withoutLocations))
        case .key: self
        }
    }
}

extension MediatorNode {
    fileprivate var withoutLocations: MediatorNode {
        if var send = self.as(SendMediator.self) {
            send.endpoint = send.endpoint?.withoutLocations
            return .send(send)
        }
        if var call = self.as(CallMediator.self) {
            call.endpoint = call.endpoint?.withoutLocations
            return .call(call)
        }
        if var filter = self.as(FilterMediator.self) {
            filter.then = filter.then.map(\.withoutLocations)
            filter.otherwise = filter.otherwise.map(\.withoutLocations)
            return .filter(filter)
        }
        return self
    }
}

extension EndpointDefinition {
    fileprivate var withoutLocations: EndpointDefinition {
        var copy = self
        copy.location = nil
        switch kind {
        case .loadbalance(var balance):
            balance.members = balance.members.map(\.withoutLocations)
            copy.kind = .loadbalance(balance)
        case .failover(var failover):
            failover.members = failover.members.map(\.withoutLocations)
            copy.kind = .failover(failover)
        case .recipientList(var list):
            if case .endpoints(let members) = list.recipients {
                list.recipients = .endpoints(members.map(\.withoutLocations))
                copy.kind = .recipientList(list)
            }
        case .address, .http, .reference, .template, .wsdl, .defaultAddress:
            break
        }
        return copy
    }
}
