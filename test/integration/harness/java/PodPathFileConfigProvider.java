import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Kafka's FileConfigProvider for workers that the end-to-end tests' kubelet stand-in runs as local processes: a
 * reference to a pod path, as the component writes into connector configs
 * (`${file:/etc/kafka-connect-secrets/<connector>.properties:<key>}`), is read from the folder the stand-in mounted
 * at that path. In a pod the path itself exists; here only the worker's properties file can be rewritten, not the
 * connector configs in the config topic. Param `pod.paths`: `<pod path>=<local folder>` pairs separated by `;`.
 * Everything else (allowed.paths included) is FileConfigProvider's own, applied to the local path.
 */
public final class PodPathFileConfigProvider extends FileConfigProvider {
    private final Map<String, String> podPaths = new LinkedHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        Object pairs = configs.get("pod.paths");
        if (pairs != null) {
            for (String pair : pairs.toString().split(";")) {
                int at = pair.indexOf('=');
                if (at > 0) {
                    podPaths.put(pair.substring(0, at), pair.substring(at + 1));
                }
            }
        }
        Map<String, Object> rest = new HashMap<>(configs);
        rest.remove("pod.paths");
        super.configure(rest);
    }

    @Override
    public ConfigData get(String path) {
        return super.get(local(path));
    }

    @Override
    public ConfigData get(String path, Set<String> keys) {
        return super.get(local(path), keys);
    }

    private String local(String path) {
        if (path == null) {
            return null;
        }
        for (Map.Entry<String, String> entry : podPaths.entrySet()) {
            String podPath = entry.getKey();
            if (path.equals(podPath) || path.startsWith(podPath + "/")) {
                return entry.getValue() + path.substring(podPath.length());
            }
        }
        return path;
    }
}
