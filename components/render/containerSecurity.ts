/**
 * The security context of every container the component renders (worker, auto-restart sidecar, plugin installer):
 * no privilege escalation, a read-only root filesystem, no Linux capabilities. A fresh object per container.
 */
export function restrictedSecurityContext() {
    return {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
    };
}
