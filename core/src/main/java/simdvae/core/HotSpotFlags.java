package simdvae.core;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** HotSpot's flags as the running JVM set them (its CPU features among them), where the JVM says. */
final class HotSpotFlags {
    private HotSpotFlags() {
    }

    /** The flag's value, or null when it cannot be read (not HotSpot, or no such flag). */
    static String value(String flag) {
        try {
            HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return bean == null ? null : bean.getVMOption(flag).getValue();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
