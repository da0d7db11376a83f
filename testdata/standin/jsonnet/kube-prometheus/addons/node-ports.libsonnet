// The UIs on fixed node ports: Prometheus 30900, Alertmanager 30903,
// Grafana 30902 (a Service's ports are replaced by the one UI port).
local nodePort(name, port, targetPort, nodePort) = {
  spec+: {
    type: 'NodePort',
    ports: [{ name: name, port: port, targetPort: targetPort, nodePort: nodePort }],
  },
};

{
  prometheus+: { service+: nodePort('web', 9090, 'web', 30900) },
  alertmanager+: { service+: nodePort('web', 9093, 'web', 30903) },
  grafana+: { service+: nodePort('http', 3000, 'http', 30902) },
}
